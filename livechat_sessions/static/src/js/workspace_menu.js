odoo.define('livechat_sessions.WorkspaceMenu', function (require) {
'use strict';
/**
 * The workspace's left menu (a part of livechat_sessions.Workspace): the
 * operator's Online switch, the links (response templates, reports...), and
 * for each live chat the user works in its session groups with their
 * counters; at the bottom the queue counters (new sessions of the chats the
 * user operates, unassigned ones of the chats they supervise).
 */
var core = require('web.core');

var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;
var _t = core._t;
var _lt = core._lt;

// Lazy: this module runs before the user's translations are loaded.
var GROUP_LABELS = {
    queue: _lt('Queue'),
    mine: _lt('My sessions'),
    active: _lt('Active sessions'),
    closed: _lt('Closed sessions'),
};


var WorkspaceMenu = {
    menuEvents: {
        'click .o_lc_ws_group': '_onGroupClick',
        'click .o_lc_ws_link': '_onLinkClick',
        'click .o_lc_ws_mute': '_onMuteClick',
        'click .o_lc_ws_next': '_onNextQueued',
        'click .o_lc_ws_unassigned': '_onUnassigned',
        'click .o_lc_ws_new_session': '_onNewSession',
        'click .o_lc_ws_first_chat': '_onFirstChat',
        'change .o_lc_ws_online': '_onStatusChange',
    },

    groupLabel: function (group) {
        return String(GROUP_LABELS[group]);
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

    _loadMenu: function () {
        var self = this;
        return this._rpc({model: 'livechat.workspace', method: 'load', args: []})
            .then(function (menu) {
                self.menu = menu;
            });
    },

    _renderMenu: function () {
        // Bus notifications come in bursts on a busy queue: while the menu
        // keeps its shape only its counters change, in place, so that a
        // click landing during a refresh is not lost with a replaced node.
        var shape = JSON.stringify([
            this.menu.status, this.menu.links,
            _.map(this.menu.chats, function (chat) {
                return [chat.id, chat.name, chat.is_operator, chat.is_supervisor,
                    chat.muted, _.pluck(chat.groups, 'group')];
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

    /** The bell of a chat: mute (or not) its Inbox and browser
     *  notifications for this user. */
    _onMuteClick: function (ev) {
        ev.preventDefault();
        ev.stopPropagation();
        var self = this;
        var chatId = $(ev.currentTarget).data('chat');
        var chat = _.findWhere(this.menu.chats, {id: chatId});
        this._rpc({
            model: 'livechat.workspace',
            method: 'set_muted',
            args: [chatId, !(chat && chat.muted)],
        }).then(function () {
            return self._refresh();
        }).fail(errors.tellPlainly(this));
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
            })
            .fail(errors.tellPlainly(this));
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
            })
            .fail(errors.tellPlainly(this));
    },
};

return WorkspaceMenu;
});
