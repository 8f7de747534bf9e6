odoo.define('livechat_sessions.Workspace', function (require) {
'use strict';
/**
 * The Live Chats workspace (client action "livechat_workspace"): on the left
 * the operator's status and, for each live chat they work in, its session
 * groups with live counters (WorkspaceMenu); in the middle the sessions of
 * the chosen group (WorkspaceList); on the right the session's conversation
 * and what is known about it (WorkspaceAbout).
 *
 * This file holds them together: the search bar (session names with no
 * session open, the open session's messages otherwise), opening and closing
 * a session, and the live updates.
 *
 * Data comes from the `livechat.workspace` model (the caller's own rights);
 * session actions are `livechat.session`'s. Live updates come over the bus
 * (`livechat.*` notifications on the user's partner channel).
 */
var core = require('web.core');
var session = require('web.session');
var Widget = require('web.Widget');
var host = require('livechat_sessions.ConversationHost');
var WorkspaceAbout = require('livechat_sessions.WorkspaceAbout');
var WorkspaceList = require('livechat_sessions.WorkspaceList');
var WorkspaceMenu = require('livechat_sessions.WorkspaceMenu');

var QWeb = core.qweb;
var _t = core._t;
/** Which sessions each group of the menu lists (the server's
 * livechat.workspace._group_domain), for a session as payloads give it. */
var IN_GROUP = {
    queue: function (p) { return p.session_state === 'queued'; },
    mine: function (p) {
        return p.session_state === 'active' && p.operator_id === session.uid;
    },
    active: function (p) { return p.session_state === 'active'; },
    closed: function (p) { return p.session_state === 'closed'; },
};

var Workspace = Widget.extend(
    host.LivechatBus, host.ConversationHost, WorkspaceMenu, WorkspaceList, WorkspaceAbout, {
        template: 'livechat_sessions.Workspace',
        custom_events: {
            livechat_search_cleared: '_onSearchCleared',
        },
        events: _.extend({
            'input .o_lc_ws_search': '_onSearch',
            'keydown .o_lc_ws_search': '_onSearchKeydown',
            'click .o_lc_ws_close_session': '_onCloseSession',
        }, WorkspaceMenu.menuEvents, WorkspaceList.listEvents, WorkspaceAbout.aboutEvents),

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
            this._listenLivechatBus();
            this._renderMenu();
            var params = (this.action && this.action.params) || {};
            // From +New session, numbers; from a link (the Inbox), the
            // URL's strings.
            var chatId = parseInt(params.chat_id, 10);
            var sessionId = parseInt(params.session_id, 10);
            var first = this.menu.chats.length && this.menu.chats[0];
            if (sessionId && _.findWhere(this.menu.chats, {id: chatId})) {
            // Opened on a session: in My sessions, or the queue it waits in.
                var group = params.group === 'queue' ? 'queue' : 'mine';
                this._selectGroup(chatId, group).then(function () {
                    self.$('.o_lc_ws_session[data-id=' + sessionId + ']')
                        .addClass('active');
                    self._openSession(sessionId);
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

        // Sessions --------------------------------------------------------------

        _openSession: function (sessionId) {
            var self = this;
            this.sessionId = sessionId;
            var shown = this._showConversation(this.$('.o_lc_ws_conversation'), {
                model: 'livechat.workspace',
                sessionId: sessionId,
                markSeen: true,
                onLoad: function (data) {
                    self.session = data.session;
                    self._renderAbout();
                },
            });
            this._loadAbout(sessionId);
            this._renderSearchScope();
            var conversation = this.conversation;
            return shown.then(function () {
            // The search bar now searches this session: what it holds (the
            // names just searched) is looked for in it.
                var text = self.$('.o_lc_ws_search').val();
                if (text.trim()) {
                    return conversation.search(text);
                }
            });
        },

        /** Whether a session event takes the open session out of the user's
         * sight: now another operator's, and the user does not supervise
         * its chat. */
        _outOfSight: function (payload) {
            var chat = _.findWhere(this.menu.chats, {id: payload.chat_id});
            return !!chat && !chat.is_supervisor && !!payload.operator_id &&
                payload.operator_id !== session.uid;
        },

        /** Back to no open session: the search bar searches session names. */
        _closeSession: function () {
            this._dropConversation();
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

        /** The menu's counters and the list, as the server has them now. */
        _refresh: function () {
            var self = this;
            return this._loadMenu().then(function () {
                self._renderMenu();
                return self._reloadList();
            });
        },

        // Handlers --------------------------------------------------------------

        _onSearch: function (ev) {
            var self = this;
            clearTimeout(this._searchTimer);
            this._searchTimer = setTimeout(function () {
                if (self.conversation) {
                    self.conversation.search(ev.target.value);
                    return;
                }
                self.search = ev.target.value;
                self._reloadList();
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
            if (text !== this.search) {
                this.search = text;
                this._reloadList();
            }
        },

        /**
         * Live updates, applied from the payloads without asking the server
         * (a team's every open workspace gets every customer message):
         * a message shows in the open conversation, its session's row
         * moves up with one more unread, the unread counter follows; a
         * delivery state shows on its reply; "seen" clears the badges.
         *
         * Reloaded instead, and named here: a session opened, taken,
         * assigned, closed or marked spam (it moves between groups, the
         * counters of the chat's whole team change, "mine" per user: one
         * event per session, against many messages); a message of a session
         * that belongs to the group shown but is not on its loaded page.
         */
        _onLivechatNotifications: function (payloads) {
            var self = this;
            var refresh = false;
            var reloadList = false;
            _.each(payloads, function (payload) {
                if (payload.type === 'livechat.message') {
                    self._applyToConversation(payload);
                    reloadList = !self._applyMessageToList(payload) || reloadList;
                } else if (payload.type.indexOf('livechat.delivery_') === 0 ||
                           payload.type === 'livechat.conversation_changed' ||
                           payload.type === 'livechat.presence') {
                    // conversation_changed: what the conversation shows
                    // beside its messages changed (replies scheduled to
                    // leave later): it is read again. presence: who else
                    // is in it.
                    self._applyToConversation(payload);
                } else if (payload.type === 'livechat.seen') {
                    self._applySeen(payload);
                } else {
                    refresh = true;
                    if (payload.session_id && payload.session_id === self.sessionId) {
                        if (payload.type === 'livechat.session_moved' &&
                                !_.findWhere(self.menu.chats, {id: payload.to_chat_id})) {
                            // Moved to a live chat the user is not staff of.
                            self.do_notify(_t('Session moved'), _.str.sprintf(
                                _t('%s was moved to %s.'), _.escape(payload.name),
                                _.escape(payload.to_chat_name)));
                            self._closeSession();
                            return;
                        }
                        if (self._outOfSight(payload)) {
                            // Taken by a colleague: an operator no longer
                            // reads it (the record rules); told, not shown
                            // an access error.
                            self.do_notify(_t('Session taken'), _.str.sprintf(
                                _t('%s is now handled by a colleague.'), payload.name));
                            self._closeSession();
                            return;
                        }
                        // Its state, who may reply: the open session's own.
                        self._reloadConversation(payload.session_id);
                        self._loadAbout(payload.session_id);
                    }
                }
            });
            // Several notifications in a row make one read, the larger one
            // asked for meanwhile (a refresh reads the list too).
            if (refresh || reloadList) {
                this._pendingRead = refresh || this._pendingRead === '_refresh'
                    ? '_refresh' : '_reloadList';
                clearTimeout(this._refreshTimer);
                this._refreshTimer = setTimeout(function () {
                    var method = self._pendingRead;
                    self._pendingRead = null;
                    self._readLive(method);
                }, 200);
            }
        },

        /** Back from offline or asleep: the menu, the list and the open
         * session are read again (what was missed cannot be applied). */
        _onLivechatResumed: function () {
            this._readLive('_refresh');
            if (this.sessionId) {
                this._reloadConversation(this.sessionId);
                this._loadAbout(this.sessionId);
            }
        },

        /** A message of ``payload.session_id``: its row (if listed) moves to
         * the top with one more unread unless it is open; returns false
         * when the list must be read again (the session belongs to the
         * group shown, beyond the loaded page). */
        _applyMessageToList: function (payload) {
            var message = payload.message || {};
            var unseen = message.direction === 'in' && payload.session_id !== this.sessionId;
            if (unseen && IN_GROUP.mine(payload) && this.menu) {
                this.menu.unread_total += 1;
                this._updateMenuCounters();
            }
            var row = _.findWhere(this.list.sessions, {id: payload.session_id});
            if (row) {
                row.last_message_date = message.date || row.last_message_date;
                row.unread_count = (row.unread_count || 0) + (unseen ? 1 : 0);
                // Newest activity first, as the server orders them.
                this.list.sessions = [row].concat(_.without(this.list.sessions, row));
                this._renderList();
                return true;
            }
            var current = this.current;
            return this.list.everywhere || !current || payload.is_spam ||
                payload.chat_id !== current.chat_id ||
                !IN_GROUP[current.group](payload);
        },

        /** The user saw sessions (here or in another tab). */
        _applySeen: function (payload) {
            _.each(this.list.sessions, function (row) {
                if (payload.session_ids.indexOf(row.id) !== -1) {
                    row.unread_count = 0;
                }
            });
            this._renderList();
            if (this.menu && payload.unread_total !== undefined) {
                this.menu.unread_total = payload.unread_total;
                this._updateMenuCounters();
            }
        },
    });

core.action_registry.add('livechat_workspace', Workspace);

return Workspace;
});
