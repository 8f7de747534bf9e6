odoo.define('livechat_widget.LivechatMessages', function (require) {
'use strict';
/**
 * widget="livechat_messages": a record's live chat sessions on its form.
 *
 *   <field name="id" widget="livechat_messages" nolabel="1"
 *          options="{'mode': 'account', 'path': 'livechat_account_ids'}"/>
 *
 * Left: the record's active sessions, and an Archive of the closed ones.
 * Right: the selected session's conversation (livechat_sessions'
 * Conversation), with the customer's earlier sessions in the same chat above
 * it. Everything it shows comes from the `livechat.widget` model, which
 * applies the reader's own access rights.
 */
var AbstractField = require('web.AbstractField');
var core = require('web.core');
var Dialog = require('web.Dialog');
var fieldRegistry = require('web.field_registry');
var host = require('livechat_sessions.ConversationHost');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;
var _t = core._t;

var LivechatMessages = AbstractField.extend(host.LivechatBus, host.ConversationHost, {
    className: 'o_livechat_messages',
    events: {
        'click .o_lcw_session': '_onSessionClick',
        'click .o_lcw_archive': '_onArchiveClick',
        'click .o_lcw_back': '_onBackClick',
        'click .o_lcw_more': '_onMoreClick',
        'click .o_lcw_new': '_onNewSession',
    },

    init: function () {
        this._super.apply(this, arguments);
        this.archive = false;
        this.sessions = [];
        this.selectedId = null;
        this.conversation = null;
    },

    start: function () {
        this._listenLivechatBus();
        return this._super.apply(this, arguments);
    },

    isSet: function () {
        return true;  // always shown, even on a record without sessions
    },

    // Rendering -------------------------------------------------------------

    _render: function () {
        // Odoo 11 gives every node of a field the widget of its last node:
        // another node of the same field (an invisible "id") stays empty.
        var node = this.__node;
        if (node && node.attrs.widget !== 'livechat_messages') {
            this.$el.empty();
            return $.when();
        }
        var options = (node && _.isObject(node.attrs.options)) ? node.attrs.options : this.nodeOptions;
        this.historyMode = options.mode || 'account';
        this.historyPath = options.path || '';
        if (!this.res_id) {
            this.$el.html(QWeb.render('livechat_widget.Message', {
                text: _t('Save the record to see its live chat sessions.'),
            }));
            return $.when();
        }
        // Loaded in the background: the form renderer of Odoo 11 cannot wait
        // for a field that it re-renders when modifiers change.
        this.$el.html(QWeb.render('livechat_widget.Message', {text: _t('Loading…')}));
        this._loadSessions(0);
        return $.when();
    },

    _args: function () {
        return [this.model, this.res_id, this.historyMode, this.historyPath];
    },

    _loadSessions: function (offset) {
        var self = this;
        return this._rpc({
            model: 'livechat.widget',
            method: 'load',
            args: this._args(),
            kwargs: {archive: this.archive, offset: offset || 0},
        }).then(function (data) {
            self.lcData = data;
            if (!data.access) {
                self.$el.html(QWeb.render('livechat_widget.Message', {
                    text: data.reason, reason: true}));
                return;
            }
            self.sessions = offset ? self.sessions.concat(data.sessions) : data.sessions;
            var stillThere = _.findWhere(self.sessions, {id: self.selectedId});
            if (!stillThere) {
                self.selectedId = self.sessions.length ? self.sessions[0].id : null;
            }
            self._renderLayout();
        });
    },

    _renderLayout: function () {
        this.$el.html(QWeb.render('livechat_widget.Layout', {widget: this}));
        this._openConversation();
    },

    _openConversation: function (markSeen) {
        if (!this.selectedId) {
            this._dropConversation();
            return $.when();
        }
        return this._showConversation(this.$('.o_lcw_chat'), {
            model: 'livechat.widget',
            sessionId: this.selectedId,
            markSeen: markSeen,
        });
    },

    // Handlers --------------------------------------------------------------

    _onSessionClick: function (ev) {
        this.selectedId = $(ev.currentTarget).data('id');
        this.$('.o_lcw_session').removeClass('active');
        // Opening it marks it seen (server side): its unread badge goes.
        $(ev.currentTarget).addClass('active').find('.o_lcw_unread').remove();
        this._openConversation(true);
    },

    _onArchiveClick: function () {
        this.archive = true;
        this.selectedId = null;
        this._loadSessions(0);
    },

    _onBackClick: function () {
        this.archive = false;
        this.selectedId = null;
        this._loadSessions(0);
    },

    _onMoreClick: function () {
        this._loadSessions(this.sessions.length);
    },

    /** A message in a session on screen arrives live (operators and
     * supervisors are told over the bus; readers see it on reload). */
    _onLivechatNotifications: function (payloads) {
        var self = this;
        _.each(payloads, function (payload) {
            if (payload.type === 'livechat.message' || payload.type.indexOf('livechat.delivery_') === 0 ||
                    payload.type === 'livechat.conversation_changed' ||
                    payload.type === 'livechat.presence') {
                self._applyToConversation(payload);
            }
        });
    },

    _onNewSession: function () {
        var self = this;
        this._rpc({
            model: 'livechat.widget',
            method: 'new_session_options',
            args: this._args(),
        }).then(function (options) {
            var $content = $(QWeb.render('livechat_widget.NewSession', {options: options}));
            var dialog = new Dialog(self, {
                title: _t('New Session'),
                $content: $content,
                buttons: [{
                    text: _t('Start'),
                    classes: 'btn-primary o_lcw_start',
                    disabled: !options.online,
                    click: function () {
                        var accountId = parseInt($content.find('.o_lcw_account').val(), 10);
                        var chatId = parseInt($content.find('.o_lcw_chat_select').val(), 10);
                        var body = $content.find('.o_lcw_body').val();
                        self._rpc({
                            model: 'livechat.widget',
                            method: 'new_session',
                            args: self._args().concat([chatId, accountId, body]),
                        }).then(function (sessionId) {
                            dialog.close();
                            self.archive = false;
                            self.selectedId = sessionId;
                            self._loadSessions(0);
                        }).fail(errors.tellPlainly(self));
                    },
                }, {text: _t('Cancel'), close: true}],
            });
            // The accounts offered follow the chosen contact.
            $content.on('change', '.o_lcw_contact', function () {
                var contact = _.findWhere(options.contacts, {id: $(this).val()});
                $content.find('.o_lcw_account').html(QWeb.render(
                    'livechat_widget.AccountOptions', {accounts: contact ? contact.accounts : []}));
            });
            dialog.open();
        });
    },
});

fieldRegistry.add('livechat_messages', LivechatMessages);

return LivechatMessages;
});
