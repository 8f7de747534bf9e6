odoo.define('livechat_channels.Internal', function (require) {
'use strict';
/**
 * Employees as customers: a "Live Chat" menu in the systray of employees
 * whom a live chat lists among its internal customers. Picking a chat opens
 * a window at the bottom right with the employee's conversation (the
 * conversation view of livechat_sessions, through `livechat.internal`),
 * or a first message box when there is no open session. Answers arrive live
 * over the bus.
 */
var core = require('web.core');
var SystrayMenu = require('web.SystrayMenu');
var Widget = require('web.Widget');
var host = require('livechat_sessions.ConversationHost');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;

var ChatWindow = Widget.extend(host.ConversationHost, {
    template: 'livechat_channels.InternalWindow',
    events: {
        'click .o_lc_iw_close': '_onClose',
        'click .o_lc_iw_start': '_onStart',
        'keydown .o_lc_iw_first': '_onFirstKeydown',
    },

    init: function (parent, chat) {
        this._super.apply(this, arguments);
        this.chat = chat;
    },

    start: function () {
        if (this.chat.session_id) {
            return $.when(this._super.apply(this, arguments), this._mount());
        }
        return this._super.apply(this, arguments);
    },

    /** An answer of the session shown, as the bus carries it: added
     * without asking the server (read again if it cannot be). */
    applyPayload: function (payload) {
        return this._applyToConversation(payload);
    },

    _mount: function () {
        return this._showConversation(this.$('.o_lc_iw_body'), {
            model: 'livechat.internal',
            sessionId: this.chat.session_id,
            customerSide: true,  // no templates, no saving files into Odoo
        });
    },

    _onClose: function () {
        this.trigger_up('livechat_internal_closed', {chatId: this.chat.id});
        this.destroy();
    },

    _onFirstKeydown: function (ev) {
        if (ev.which === $.ui.keyCode.ENTER && !ev.shiftKey) {
            ev.preventDefault();
            this._onStart();
        }
    },

    _onStart: function () {
        var self = this;
        var body = this.$('.o_lc_iw_first').val();
        if (!body || !body.trim()) {
            return;
        }
        this.$('.o_lc_iw_start').prop('disabled', true);
        return this._rpc({
            model: 'livechat.internal',
            method: 'start',
            args: [this.chat.id, body],
        }).then(function (sessionId) {
            self.chat.session_id = sessionId;
            return self._mount();
        }).fail(errors.tellPlainly(this)).always(function () {
            self.$('.o_lc_iw_start').prop('disabled', false);
        });
    },
});

var InternalMenu = Widget.extend(host.LivechatBus, {
    template: 'livechat_channels.InternalMenu',
    events: {
        'show.bs.dropdown': '_onShow',
        'click .o_lc_internal_chat': '_onChatClick',
    },
    custom_events: {
        livechat_internal_closed: '_onWindowClosed',
    },

    init: function () {
        this._super.apply(this, arguments);
        this.chats = [];
        this.windows = {};
    },

    willStart: function () {
        var self = this;
        return this._rpc({model: 'livechat.internal', method: 'my_chats', args: []})
            .then(function (chats) {
                self.chats = chats;
            });
    },

    start: function () {
        if (!this.chats.length) {
            this.$el.addClass('hidden');
        } else {
            this._listenLivechatBus();
        }
        return this._super.apply(this, arguments);
    },

    _onShow: function () {
        var self = this;
        return this._rpc({model: 'livechat.internal', method: 'my_chats', args: []})
            .then(function (chats) {
                self.chats = chats;
                self.$('.o_lc_internal_list').html(QWeb.render(
                    'livechat_channels.InternalMenu.List', {chats: chats}));
            });
    },

    _onChatClick: function (ev) {
        ev.preventDefault();
        var chatId = $(ev.currentTarget).data('chat');
        var chat = _.findWhere(this.chats, {id: chatId});
        if (!chat || this.windows[chatId]) {
            return;
        }
        var chatWindow = new ChatWindow(this, _.clone(chat));
        this.windows[chatId] = chatWindow;
        chatWindow.appendTo($('body'));
    },

    _onWindowClosed: function (ev) {
        delete this.windows[ev.data.chatId];
    },

    /** Back from offline or asleep: each open window reads its
     * conversation again. */
    _onLivechatResumed: function () {
        _.each(this.windows, function (chatWindow) {
            if (chatWindow.conversation) {
                chatWindow.conversation.reload();
            }
        });
    },

    /** An answer in an employee's open window: it shows at once; so does
     * the staff typing it. */
    _onLivechatNotifications: function (payloads) {
        var self = this;
        _.each(payloads, function (payload) {
            var chatWindow = self.windows[payload.chat_id];
            // A reply, or the staff typing one.
            if (chatWindow && (payload.type === 'livechat.internal_message' ||
                    payload.type === 'livechat.presence')) {
                chatWindow.applyPayload(payload);
            }
        });
    },
});

SystrayMenu.Items.push(InternalMenu);

return {InternalMenu: InternalMenu, ChatWindow: ChatWindow};
});
