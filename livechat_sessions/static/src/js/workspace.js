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
var Widget = require('web.Widget');
var host = require('livechat_sessions.ConversationHost');
var WorkspaceAbout = require('livechat_sessions.WorkspaceAbout');
var WorkspaceList = require('livechat_sessions.WorkspaceList');
var WorkspaceMenu = require('livechat_sessions.WorkspaceMenu');

var QWeb = core.qweb;
var _t = core._t;
/** What shows in the open conversation: a message, where a reply's
 * delivery stands. */
var CONVERSATION_EVENTS = [
    'livechat.message', 'livechat.delivery_sent', 'livechat.delivery_delivered',
    'livechat.delivery_failed',
];

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

        /** Anything about the user's sessions moved: counters and the list follow;
     * a message of the open session appears in it. */
        _onLivechatNotifications: function (payloads) {
            var self = this;
            _.each(payloads, function (payload) {
            // A message, or a reply the provider did not deliver.
                if (CONVERSATION_EVENTS.indexOf(payload.type) !== -1) {
                    self._reloadConversation(payload.session_id);
                }
            });
            // Several notifications in a row make one refresh.
            clearTimeout(this._refreshTimer);
            this._refreshTimer = setTimeout(function () { self._refresh(); }, 200);
        },
    });

core.action_registry.add('livechat_workspace', Workspace);

return Workspace;
});
