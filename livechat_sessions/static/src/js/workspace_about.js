odoo.define('livechat_sessions.WorkspaceAbout', function (require) {
'use strict';
/**
 * The workspace's About pane (a part of livechat_sessions.Workspace): what
 * is known of the open session and its customer, and what the user may do
 * with it (take, close, rename, prioritize, lock the account, assign, start
 * a business process, bind a record of the chat's apps). Every action is a
 * method of `livechat.session` or `livechat.workspace` that checks the
 * user's rights on the server.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');
var viewDialogs = require('web.view_dialogs');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;
var _t = core._t;


var WorkspaceAbout = {
    aboutEvents: {
        'click .o_lc_ws_action': '_onSessionAction',
        'change .o_lc_ws_priority': '_onPriorityChange',
        'change .o_lc_ws_name': '_onNameChange',
        'keydown .o_lc_ws_name': '_onNameKeydown',
        'click .o_lc_ws_lock': '_onLock',
        'click .o_lc_ws_assign_button': '_onAssign',
        'keydown .o_lc_ws_assign': '_onAssignKeydown',
        'click .o_lc_ws_process': '_onStartProcess',
        'click .o_lc_ws_merge_button': '_onMerge',
        'click .o_lc_ws_move_button': '_onMove',
        'click .o_lc_ws_bind': '_onBind',
        'click .o_lc_ws_open_record': '_onOpenRecord',
    },

    /** Load what the pane shows beside the conversation (the conversation's
     * first page brings the session itself). */
    _loadAbout: function (sessionId) {
        var self = this;
        // Whom to (re)assign to: supervisors any session, an operator their
        // own (the pane shows the picker only where the server allows it).
        var chat = _.findWhere(this.menu.chats, {id: this.current.chat_id});
        this.assignees = null;
        if (chat && (chat.is_supervisor || chat.is_operator)) {
            this._rpc({
                model: 'livechat.workspace',
                method: 'assignees',
                args: [chat.id],
            }).then(function (assignees) {
                if (self.sessionId === sessionId) {
                    self.assignees = assignees;
                    self._renderAbout();
                }
            });
        }
        // Who the customer is, and the records of the chat's apps bound to
        // them (+Bind).
        this.customer = null;
        this._loadCustomer(sessionId);
        // The customer's other sessions the user may merge into this one.
        this.mergeCandidates = [];
        this._rpc({
            model: 'livechat.session',
            method: 'get_merge_candidates',
            args: [[sessionId]],
        }).then(function (candidates) {
            if (self.sessionId === sessionId) {
                self.mergeCandidates = candidates;
                self._renderAbout();
            }
        });
        // The business processes operators may start here (+Actions).
        this.processes = [];
        this._rpc({
            model: 'livechat.session',
            method: 'get_manual_processes',
            args: [[sessionId]],
        }).then(function (processes) {
            if (self.sessionId === sessionId) {
                self.processes = processes;
                self._renderAbout();
            }
        });
    },

    _renderAbout: function () {
        // A reload (a message arriving) must not take the name being edited
        // away from the operator.
        var $name = this.$('.o_lc_ws_name');
        var editing = $name.length && $name.is(':focus') ? $name.val() : null;
        this.$('.o_lc_ws_about').html(QWeb.render('livechat_sessions.Workspace.About', {
            widget: this,
            session: this.session,
        }));
        if (editing !== null) {
            this.$('.o_lc_ws_name').val(editing).focus();
        }
    },

    _loadCustomer: function (sessionId) {
        var self = this;
        return this._rpc({
            model: 'livechat.workspace',
            method: 'customer',
            args: [sessionId],
        }).then(function (customer) {
            if (self.sessionId === sessionId) {
                self.customer = customer;
                self._renderAbout();
            }
        });
    },

    _onSessionAction: function (ev) {
        var self = this;
        var method = $(ev.currentTarget).data('method');
        var run = function () {
            return self._rpc({model: 'livechat.session', method: method, args: [[self.sessionId]]})
                .then(function () {
                    if (method === 'action_close') {
                        self.do_notify(_t('Session closed'), _t(
                            'The customer was told; their next message starts a new session.'));
                    }
                    return $.when(self._refresh(), self.conversation.reload());
                })
                .fail(errors.tellPlainly(self));
        };
        if (method !== 'action_close') {
            return run();
        }
        // Closing ends the conversation for the customer: asked first.
        Dialog.confirm(this, _t(
            'Close this session? The customer gets the chat\'s closing message, ' +
            'and their next message starts a new session.'), {confirm_callback: run});
    },

    _onNameKeydown: function (ev) {
        if (ev.which === $.ui.keyCode.ENTER) {
            ev.preventDefault();
            this._onNameChange(ev);
        }
    },

    _onNameChange: function (ev) {
        var self = this;
        var name = ev.currentTarget.value.trim();
        if (!name) {
            ev.currentTarget.value = this.session.name;
            return;
        }
        if (name === this.session.name) {
            return;  // Enter, then the change event of the same edit
        }
        this._rpc({
            model: 'livechat.session',
            method: 'write',
            args: [[this.sessionId], {name: name}],
        }).then(function () {
            return $.when(self._refresh(), self.conversation.reload());
        }).fail(errors.tellPlainly(this));
    },

    /** Lock account…: what (the account, the contact, a pattern of
     * addresses), where (this chat, or every chat the user supervises), until
     * when, and why. */
    _onLock: function () {
        var self = this;
        var chat = _.findWhere(this.menu.chats, {id: this.current.chat_id}) || {};
        var account = (this.customer && this.customer.account) || {};
        var externalId = account.external_id || '';
        var $content = $(QWeb.render('livechat_sessions.Workspace.Lock', {
            account: account,
            partner: this.customer && this.customer.partner,
            // An address suggests its domain: *@spam.example.
            pattern: externalId.indexOf('@') !== -1 ? '*' + externalId.slice(externalId.indexOf('@')) : externalId,
            supervisor: !!chat.is_supervisor,
            chat: chat,
        }));
        var dialog = new Dialog(this, {
            title: _t('Lock the account'),
            $content: $content,
            buttons: [{
                text: _t('Lock'),
                classes: 'btn-primary o_lc_ws_lock_confirm',
                click: function () {
                    var lock = $content.find('input[name=o_lc_lock_what]:checked').val();
                    var until = $content.find('.o_lc_ws_lock_until').val();
                    self._rpc({
                        model: 'livechat.session',
                        method: 'action_lock_account',
                        args: [[self.sessionId], $content.find('.o_lc_ws_lock_reason').val()],
                        kwargs: {
                            lock: lock,
                            pattern: $content.find('.o_lc_ws_lock_pattern').val(),
                            scope: $content.find('input[name=o_lc_lock_where]:checked').val(),
                            // The browser's local time, to the server's UTC.
                            date_expiry: until ? moment(until).utc().format('YYYY-MM-DD HH:mm:ss') : false,
                        },
                    }).then(function () {
                        dialog.close();
                        return $.when(self._refresh(), self.conversation.reload());
                    }).fail(errors.tellPlainly(self));
                },
            }, {text: _t('Cancel'), close: true}],
        });
        dialog.open();
    },

    /** Whom the supervisor may assign to, as the picker lists them: the
     * chat's operators, then its groups (a group's members share its queue). */
    assigneeOptions: function () {
        var assignees = this.assignees || {users: [], groups: []};
        return _.map(assignees.users, function (user) {
            return {label: user.name, kwargs: {user_id: user.id}, name: user.name};
        }).concat(_.map(assignees.groups, function (group) {
            return {
                label: _.str.sprintf(_t('%s (group queue)'), group.name),
                kwargs: {group_id: group.id},
                name: group.name,
            };
        }));
    },

    _onAssignKeydown: function (ev) {
        if (ev.which === $.ui.keyCode.ENTER) {
            ev.preventDefault();
            this._onAssign();
        }
    },

    _onAssign: function () {
        var self = this;
        var typed = (this.$('.o_lc_ws_assign').val() || '').trim().toLowerCase();
        var option = _.find(this.assigneeOptions(), function (o) {
            return o.label.toLowerCase() === typed;
        });
        if (!option) {
            this.do_warn(_t('Assign to'), _t('Pick an operator or a group of this live chat from the list.'));
            return;
        }
        var note = (this.$('.o_lc_ws_assign_note').val() || '').trim();
        this._rpc({
            model: 'livechat.session',
            method: 'action_assign',
            args: [[this.sessionId]],
            kwargs: _.extend({note: note || null}, option.kwargs),
        }).then(function () {
            self.do_notify(_t('Assigned'), _.str.sprintf(
                _t('%s now handles this session.'), _.escape(option.name)));
            var chat = _.findWhere(self.menu.chats, {id: self.current.chat_id});
            if (!chat || !chat.is_supervisor) {
                // An operator who handed their session on no longer reads it.
                self._closeSession();
                return self._refresh();
            }
            return $.when(self._refresh(), self.conversation.reload());
        }).fail(errors.tellPlainly(this));
    },

    _onStartProcess: function (ev) {
        var self = this;
        var id = $(ev.currentTarget).data('id');
        this._rpc({
            model: 'livechat.session',
            method: 'action_start_process',
            args: [[this.sessionId], id],
        }).then(function (result) {
            self.do_notify(_t('Business process'), _t('Started.'));
            if (result && result.type) {
                self.do_action(result);
            }
            return self.conversation.reload();
        }).fail(errors.tellPlainly(this));
    },

    /** The live chats the open session may move to: the other chats the
     * user supervises, while it is open and they supervise its own (the
     * server checks both again). */
    moveTargets: function () {
        var session = this.session;
        if (!session || session.state === 'closed') {
            return [];
        }
        var own = _.findWhere(this.menu.chats, {id: this.current.chat_id});
        if (!own || !own.is_supervisor) {
            return [];
        }
        return _.filter(this.menu.chats, function (chat) {
            return chat.is_supervisor && chat.id !== own.id;
        });
    },

    /** Move the open session to the chosen live chat: it leaves this one's
     * lists for that one's queue. */
    _onMove: function () {
        var self = this;
        var chatId = parseInt(this.$('.o_lc_ws_move_target').val(), 10);
        var chat = _.findWhere(this.menu.chats, {id: chatId});
        if (!chat) {
            return;
        }
        var name = this.session.name;
        this._rpc({
            model: 'livechat.session',
            method: 'action_move',
            args: [[this.sessionId], chatId],
            kwargs: {
                note: (this.$('.o_lc_ws_move_note').val() || '').trim() || null,
                // Where the user saw it: a colleague's move meanwhile is told.
                from_chat_id: this.current.chat_id,
            },
        }).then(function () {
            self.do_notify(_t('Session moved'), _.str.sprintf(
                _t('%s now waits in the queue of %s.'), _.escape(name), _.escape(chat.name)));
            self._closeSession();
            return self._refresh();
        }).fail(errors.tellPlainly(this));
    },

    /** Merge the chosen session of the customer into the open one: it is
     * asked first (the other session is closed). */
    _onMerge: function () {
        var self = this;
        var sessionId = this.sessionId;
        var sourceId = parseInt(this.$('.o_lc_ws_merge_source').val(), 10);
        var source = _.findWhere(this.mergeCandidates, {id: sourceId});
        if (!source) {
            return;
        }
        var question = _t(
            'Merge session "%s" into this one? Its messages, record links and ' +
            'business processes move here, and it is closed with a link to this one.');
        question = _.str.sprintf(question, source.name);
        Dialog.confirm(this, question, {
            confirm_callback: function () {
                return self._rpc({
                    model: 'livechat.session',
                    method: 'action_merge',
                    args: [[sessionId], sourceId],
                }).then(function () {
                    self.do_notify(_t('Sessions merged'), _.str.sprintf(
                        _t('%s is now part of this session.'), source.name));
                    self._loadAbout(sessionId);
                    return $.when(self._refresh(), self.conversation.reload());
                }).fail(errors.tellPlainly(self));
            },
        });
    },

    /** +Bind: pick a record of the app, or create one, and bind it. */
    _onBind: function (ev) {
        var self = this;
        var model = $(ev.currentTarget).data('model');
        var app = _.findWhere(this.customer.apps, {model: model});
        var sessionId = this.sessionId;
        new viewDialogs.SelectCreateDialog(this, {
            res_model: model,
            title: _.str.sprintf(_t('Bind to this session: %s'), _.escape(app.name)),
            context: {default_name: this.customer.account.name},
            disable_multiple_selection: true,
            on_selected: function (records) {
                var bound = _.map(records, function (record) {
                    return self._rpc({
                        model: 'livechat.workspace',
                        method: 'bind',
                        args: [sessionId, model, record.id],
                    }).fail(errors.tellPlainly(self));
                });
                $.when.apply($, bound).then(function () {
                    return self._loadCustomer(sessionId);
                });
            },
        }).open();
    },

    _onOpenRecord: function (ev) {
        ev.preventDefault();
        var $link = $(ev.currentTarget);
        this.do_action({
            type: 'ir.actions.act_window',
            res_model: $link.data('model'),
            res_id: $link.data('id'),
            views: [[false, 'form']],
            target: 'current',
        });
    },

    _onPriorityChange: function (ev) {
        var self = this;
        this._rpc({
            model: 'livechat.session',
            method: 'write',
            args: [[this.sessionId], {priority: ev.currentTarget.value}],
        }).then(function () {
            return self.conversation.reload();
        }).fail(errors.tellPlainly(this));
    },
};

return WorkspaceAbout;
});
