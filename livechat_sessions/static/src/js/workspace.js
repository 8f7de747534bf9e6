odoo.define('livechat_sessions.Workspace', function (require) {
"use strict";
/**
 * The Live Chats workspace (client action "livechat_workspace"): on the left
 * the operator's status and, for each live chat they work in, its session
 * groups with live counters; in the middle the sessions of the chosen group;
 * on the right the session's conversation and what is known about it.
 *
 * Data comes from the `livechat.workspace` model (the caller's own rights);
 * session actions are `livechat.session`'s. Live updates come over the bus
 * (`livechat.*` notifications on the user's partner channel).
 */
var bus = require('bus.bus').bus;
var core = require('web.core');
var Dialog = require('web.Dialog');
var Widget = require('web.Widget');
var viewDialogs = require('web.view_dialogs');
var Conversation = require('livechat_sessions.Conversation');

var QWeb = core.qweb;
var _t = core._t;

var GROUP_LABELS = {
    queue: _t('Queue'),
    mine: _t('My sessions'),
    active: _t('Active sessions'),
    closed: _t('Closed sessions'),
};

var Workspace = Widget.extend({
    template: 'livechat_sessions.Workspace',
    custom_events: {
        livechat_search_cleared: '_onSearchCleared',
    },
    events: {
        'click .o_lc_ws_group': '_onGroupClick',
        'click .o_lc_ws_link': '_onLinkClick',
        'click .o_lc_ws_next': '_onNextQueued',
        'click .o_lc_ws_unassigned': '_onUnassigned',
        'click .o_lc_ws_new_session': '_onNewSession',
        'click .o_lc_ws_first_chat': '_onFirstChat',
        'click .o_lc_ws_session': '_onSessionClick',
        'change .o_lc_ws_online': '_onStatusChange',
        'input .o_lc_ws_search': '_onSearch',
        'keydown .o_lc_ws_search': '_onSearchKeydown',
        'click .o_lc_ws_close_session': '_onCloseSession',
        'click .o_lc_ws_more': '_onMore',
        'click .o_lc_ws_action': '_onSessionAction',
        'change .o_lc_ws_priority': '_onPriorityChange',
        'change .o_lc_ws_name': '_onNameChange',
        'keydown .o_lc_ws_name': '_onNameKeydown',
        'click .o_lc_ws_lock': '_onLock',
        'change .o_lc_ws_assign': '_onAssign',
        'click .o_lc_ws_process': '_onStartProcess',
        'click .o_lc_ws_bind': '_onBind',
        'click .o_lc_ws_open_record': '_onOpenRecord',
    },

    init: function (parent, action) {
        this._super.apply(this, arguments);
        this.action = action;
        this.menu = null;
        this.current = null;  // {chat_id, group}
        this.list = {sessions: [], count: 0};
        this.search = '';
        this.sessionId = null;
        this.session = null;
        this.conversation = null;
    },

    willStart: function () {
        return $.when(this._super.apply(this, arguments), this._loadMenu());
    },

    start: function () {
        var self = this;
        bus.on('notification', this, this._onNotification);
        this._renderMenu();
        var params = (this.action && this.action.params) || {};
        var first = this.menu.chats.length && this.menu.chats[0];
        if (params.session_id && _.findWhere(this.menu.chats, {id: params.chat_id})) {
            // Opened on a session (+New session, a link): in My sessions.
            this._selectGroup(params.chat_id, 'mine').then(function () {
                self.$('.o_lc_ws_session[data-id=' + params.session_id + ']')
                    .addClass('active');
                self._openSession(params.session_id);
            });
        } else if (this.menu.first_run) {
            this._onFirstChat();
        } else if (first) {
            // Where an operator starts a shift: their sessions, else the queue.
            var mine = _.findWhere(first.groups, {group: 'mine'});
            this._selectGroup(first.id, mine && mine.count ? 'mine' : 'queue');
        }
        return this._super.apply(this, arguments);
    },

    destroy: function () {
        bus.off('notification', this, this._onNotification);
        this._super.apply(this, arguments);
    },

    groupLabel: function (group) {
        return GROUP_LABELS[group];
    },

    /** The bottom-left counters: new sessions in the queues of the chats
     * the user operates, and unassigned ones in the chats they supervise
     * (null: not shown, the user has no such chat). */
    queueCounters: function () {
        var counters = {operator: null, supervisor: null};
        _.each(this.menu.chats, function (chat) {
            var queue = _.findWhere(chat.groups, {group: 'queue'});
            var count = queue ? queue.count : 0;
            if (chat.is_operator) {
                counters.operator = (counters.operator || 0) + count;
            }
            if (chat.is_supervisor) {
                counters.supervisor = (counters.supervisor || 0) + count;
            }
        });
        return counters;
    },

    // Data ------------------------------------------------------------------

    _loadMenu: function () {
        var self = this;
        return this._rpc({model: 'livechat.workspace', method: 'load', args: []})
            .then(function (menu) {
                self.menu = menu;
            });
    },

    _loadList: function (offset) {
        var self = this;
        return this._rpc({
            model: 'livechat.workspace',
            method: 'sessions',
            args: [this.current.chat_id, this.current.group],
            kwargs: {search: this.search, offset: offset || 0},
        }).then(function (data) {
            self.list = {
                sessions: offset ? self.list.sessions.concat(data.sessions) : data.sessions,
                count: data.count,
            };
            self._renderList();
        });
    },

    // Rendering -------------------------------------------------------------

    _renderMenu: function () {
        // Bus notifications come in bursts on a busy queue: while the menu
        // keeps its shape only its counters change, in place, so that a
        // click landing during a refresh is not lost with a replaced node.
        var shape = JSON.stringify([
            this.menu.status, this.menu.links,
            _.map(this.menu.chats, function (chat) {
                return [chat.id, chat.name, chat.is_operator, chat.is_supervisor,
                        _.pluck(chat.groups, 'group')];
            }),
        ]);
        if (shape === this._menuShape) {
            return this._updateMenuCounters();
        }
        this._menuShape = shape;
        this.$('.o_lc_ws_sidebar').html(QWeb.render('livechat_sessions.Workspace.Menu', {
            widget: this,
        }));
        if (this.current) {
            this.$('.o_lc_ws_group[data-chat=' + this.current.chat_id +
                   '][data-group=' + this.current.group + ']').addClass('active');
        }
    },

    _updateMenuCounters: function () {
        var self = this;
        var unread = this.menu.unread_total;
        this.$('.o_lc_ws_unread_total').text(unread).toggleClass('hidden', !unread);
        _.each(this.menu.chats, function (chat) {
            _.each(chat.groups, function (g) {
                self.$('.o_lc_ws_group[data-chat=' + chat.id + '][data-group=' +
                       g.group + '] .badge')
                    .text(g.count)
                    .toggleClass('o_lc_ws_new', g.group === 'queue' && !!g.count);
            });
        });
        var queues = this.queueCounters();
        this.$('.o_lc_ws_queue_operator').text(queues.operator)
            .toggleClass('o_lc_ws_new', !!queues.operator);
        this.$('.o_lc_ws_queue_supervisor').text(queues.supervisor)
            .toggleClass('o_lc_ws_new', !!queues.supervisor);
    },

    _renderList: function () {
        this.$('.o_lc_ws_list_body').html(QWeb.render('livechat_sessions.Workspace.List', {
            widget: this,
        }));
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

    _selectGroup: function (chatId, group) {
        this.current = {chat_id: chatId, group: group};
        this.$('.o_lc_ws_group').removeClass('active');
        this.$('.o_lc_ws_group[data-chat=' + chatId + '][data-group=' + group + ']')
            .addClass('active');
        return this._loadList(0);
    },

    _openSession: function (sessionId) {
        var self = this;
        this.sessionId = sessionId;
        if (this.conversation) {
            this.conversation.destroy();
        }
        this.conversation = new Conversation(this, {
            model: 'livechat.workspace',
            sessionId: sessionId,
            markSeen: true,
            onLoad: function (data) {
                self.session = data.session;
                self._renderAbout();
            },
        });
        // Supervisors (re)assign: whom to, once per chat.
        var chat = _.findWhere(this.menu.chats, {id: this.current.chat_id});
        this.assignees = null;
        if (chat && chat.is_supervisor) {
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
        var $main = this.$('.o_lc_ws_conversation').empty();
        this._renderSearchScope();
        var conversation = this.conversation;
        return conversation.appendTo($main).then(function () {
            return conversation.reload();
        }).then(function () {
            // The search bar now searches this session: what it holds (the
            // names just searched) is looked for in it.
            var text = self.$('.o_lc_ws_search').val();
            if (text.trim()) {
                return conversation.search(text);
            }
        });
    },

    /** Back to no open session: the search bar searches session names. */
    _closeSession: function () {
        if (this.conversation) {
            this.conversation.destroy();
        }
        this.conversation = null;
        this.sessionId = null;
        this.session = null;
        this.$('.o_lc_ws_session').removeClass('active');
        this.$('.o_lc_ws_about').empty();
        this.$('.o_lc_ws_conversation').html(
            QWeb.render('livechat_sessions.Workspace.Placeholder'));
        this._renderSearchScope();
    },

    /** With a session open, the search bar searches it (its name and its
     * messages); with none, the names of the sessions. */
    _renderSearchScope: function () {
        var open = !!this.conversation;
        this.$('.o_lc_ws_search').attr('placeholder', open
            ? _t('Search this session…') : _t('Search session names…'));
        this.$('.o_lc_ws_search_scope').toggleClass('hidden', !open);
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

    _refresh: function () {
        var self = this;
        return this._loadMenu().then(function () {
            self._renderMenu();
            if (self.current) {
                return self._loadList(0);
            }
        });
    },

    // Handlers --------------------------------------------------------------

    _onGroupClick: function (ev) {
        ev.preventDefault();
        var $group = $(ev.currentTarget);
        this._selectGroup($group.data('chat'), $group.data('group'));
    },

    _onLinkClick: function (ev) {
        ev.preventDefault();
        var $link = $(ev.currentTarget);
        var link = this.menu.links[$link.data('section')].links[$link.data('index')];
        this.do_action(link.xmlid, {additional_context: link.context});
    },

    /** No live chat exists: the administrator creates the first one. */
    _onFirstChat: function (ev) {
        if (ev) {
            ev.preventDefault();
        }
        this.do_action('livechat_sessions.livechat_chat_first_action');
    },

    /** +New session (My sessions): the operator writes first. */
    _onNewSession: function (ev) {
        ev.preventDefault();
        this.do_action('livechat_sessions.livechat_session_new_action', {
            additional_context: {default_chat_id: this.current.chat_id},
        });
    },

    /** The operator's queue counter: open the next session waiting. */
    _onNextQueued: function (ev) {
        ev.preventDefault();
        var self = this;
        this._rpc({model: 'livechat.workspace', method: 'next_queued', args: []})
            .then(function (next) {
                if (!next) {
                    self.do_notify(_t('Live Chats'), _t('Your queues are empty.'));
                    return;
                }
                return self._selectGroup(next.chat_id, 'queue').then(function () {
                    self.$('.o_lc_ws_session[data-id=' + next.session_id + ']')
                        .addClass('active');
                    return self._openSession(next.session_id);
                });
            });
    },

    /** The supervisor's counter: the queue of the first supervised chat
     * with sessions waiting. */
    _onUnassigned: function (ev) {
        ev.preventDefault();
        var chats = _.filter(this.menu.chats, function (chat) {
            return chat.is_supervisor;
        });
        var waiting = _.find(chats, function (chat) {
            return _.findWhere(chat.groups, {group: 'queue'}).count;
        }) || chats[0];
        if (waiting) {
            this._selectGroup(waiting.id, 'queue');
        }
    },

    _onSessionClick: function (ev) {
        var id = $(ev.currentTarget).data('id');
        this.$('.o_lc_ws_session').removeClass('active');
        $(ev.currentTarget).addClass('active').find('.o_lc_ws_unread').remove();
        this._openSession(id);
    },

    _onStatusChange: function (ev) {
        var self = this;
        var status = ev.currentTarget.checked ? 'online' : 'offline';
        this._rpc({model: 'livechat.workspace', method: 'set_status', args: [status]})
            .then(function () {
                return self._refresh();
            })
            .then(function () {
                if (self.sessionId) {
                    self.conversation.reload();  // replying may have changed
                }
            });
    },

    _onSearch: function (ev) {
        var self = this;
        clearTimeout(this._searchTimer);
        this._searchTimer = setTimeout(function () {
            if (self.conversation) {
                self.conversation.search(ev.target.value);
                return;
            }
            self.search = ev.target.value;
            if (self.current) {
                self._loadList(0);
            }
        }, 300);
    },

    /** Escape empties the search bar (and ends a search in the session). */
    _onSearchKeydown: function (ev) {
        if (ev.which === $.ui.keyCode.ESCAPE && ev.currentTarget.value) {
            ev.preventDefault();
            ev.currentTarget.value = '';
            $(ev.currentTarget).trigger('input');
        }
    },

    _onSearchCleared: function () {
        this.$('.o_lc_ws_search').val('');
    },

    _onCloseSession: function (ev) {
        ev.preventDefault();
        this._closeSession();
        var text = this.$('.o_lc_ws_search').val();
        if (text !== this.search && this.current) {
            this.search = text;
            this._loadList(0);
        }
    },

    _onMore: function (ev) {
        ev.preventDefault();
        this._loadList(this.list.sessions.length);
    },

    _onSessionAction: function (ev) {
        var self = this;
        var method = $(ev.currentTarget).data('method');
        this._rpc({model: 'livechat.session', method: method, args: [[this.sessionId]]})
            .then(function () {
                return $.when(self._refresh(), self.conversation.reload());
            });
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
        });
    },

    _onLock: function () {
        var self = this;
        var $content = $('<div><p/><input type="text" class="form-control o_lc_ws_lock_reason"/></div>');
        $content.find('p').text(_t("Why is this customer locked? Their messages will be kept as spam, never routed."));
        var dialog = new Dialog(this, {
            title: _t('Lock the account'),
            $content: $content,
            buttons: [{
                text: _t('Lock'),
                classes: 'btn-primary o_lc_ws_lock_confirm',
                click: function () {
                    self._rpc({
                        model: 'livechat.session',
                        method: 'action_lock_account',
                        args: [[self.sessionId], $content.find('input').val()],
                    }).then(function () {
                        dialog.close();
                        return $.when(self._refresh(), self.conversation.reload());
                    });
                },
            }, {text: _t('Cancel'), close: true}],
        });
        dialog.open();
    },

    _onAssign: function (ev) {
        var self = this;
        var value = ev.currentTarget.value.split(',');
        if (value.length !== 2) {
            return;
        }
        var kwargs = value[0] === 'user' ? {user_id: parseInt(value[1], 10)}
                                         : {group_id: parseInt(value[1], 10)};
        this._rpc({
            model: 'livechat.session',
            method: 'action_assign',
            args: [[this.sessionId]],
            kwargs: kwargs,
        }).then(function () {
            return $.when(self._refresh(), self.conversation.reload());
        });
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
                    });
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
        });
    },

    /** Anything about the user's sessions moved: counters and the list follow;
     * a message of the open session appears in it. */
    _onNotification: function (notifications) {
        var self = this;
        var touched = false;
        _.each(notifications, function (notification) {
            var payload = notification[1];
            if (!payload || typeof payload.type !== 'string' ||
                    payload.type.indexOf('livechat.') !== 0) {
                return;
            }
            touched = true;
            // A message, or a reply the provider did not deliver.
            if ((payload.type === 'livechat.message' ||
                    payload.type === 'livechat.delivery_failed') &&
                    self.conversation && payload.session_id === self.sessionId) {
                self.conversation.reload();
            }
        });
        if (touched) {
            // Several notifications in a row make one refresh.
            clearTimeout(this._refreshTimer);
            this._refreshTimer = setTimeout(function () { self._refresh(); }, 200);
        }
    },
});

core.action_registry.add('livechat_workspace', Workspace);

return Workspace;
});
