odoo.define('livechat_sessions.WorkspaceList', function (require) {
'use strict';
/**
 * The workspace's session list (a part of livechat_sessions.Workspace): the
 * sessions of the group chosen in the menu, page by page; with text in the
 * search bar and no session open, the sessions whose name contains it in
 * every group of every chat the user works in, each with its chat and group.
 */
var core = require('web.core');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;


var WorkspaceList = {
    listEvents: {
        // On press, not on click: a busy queue re-renders the list between
        // the press and the release, and a click whose row was replaced
        // meanwhile never arrives (the session would not open).
        'mousedown .o_lc_ws_session': '_onSessionClick',
        'click .o_lc_ws_more': '_onMore',
    },

    _loadList: function (offset) {
        var self = this;
        var current = this.current;
        return this._rpc({
            model: 'livechat.workspace',
            method: 'sessions',
            args: [current.chat_id, current.group],
            kwargs: {search: this.search, offset: offset || 0},
        }).then(function (data) {
            if (self.current !== current) {
                return;  // another group was picked meanwhile: its list shows
            }
            self.list = {
                sessions: offset ? self.list.sessions.concat(data.sessions) : data.sessions,
                count: data.count,
            };
            self._renderList();
        });
    },

    /** The sessions named like ``text`` in all the user's groups. */
    _searchAll: function (text, offset) {
        var self = this;
        return this._rpc({
            model: 'livechat.workspace',
            method: 'search_sessions',
            args: [text],
            kwargs: {offset: offset || 0},
        }).then(function (data) {
            if (self.search !== text) {
                return;  // typed on meanwhile: that search shows
            }
            self.list = {
                sessions: offset ? self.list.sessions.concat(data.sessions) : data.sessions,
                count: data.count,
                everywhere: true,
            };
            self._renderList();
        }).fail(errors.tellPlainly(this));
    },

    /** The list as it stands now: the search's hits, or the group's page. */
    _reloadList: function () {
        if (this.search && this.search.trim()) {
            return this._searchAll(this.search);
        }
        return this.current ? this._loadList(0) : $.when();
    },

    _renderList: function () {
        this.$('.o_lc_ws_list_body').html(QWeb.render('livechat_sessions.Workspace.List', {
            widget: this,
        }));
    },

    _selectGroup: function (chatId, group) {
        // Picking a group leaves a search across all of them.
        this.search = '';
        if (!this.conversation) {
            this.$('.o_lc_ws_search').val('');
        }
        this.current = {chat_id: chatId, group: group};
        this.$('.o_lc_ws_group').removeClass('active');
        this.$('.o_lc_ws_group[data-chat=' + chatId + '][data-group=' + group + ']')
            .addClass('active');
        return this._loadList(0);
    },

    _onSessionClick: function (ev) {
        if (ev.which !== 1) {
            return;  // the left button only
        }
        var id = $(ev.currentTarget).data('id');
        var hit = this.list.everywhere && _.findWhere(this.list.sessions, {id: id});
        if (hit) {
            // A hit of another chat or group: the pane acts in its chat.
            this.current = {chat_id: hit.chat.id, group: hit.group};
        }
        this.$('.o_lc_ws_session').removeClass('active');
        $(ev.currentTarget).addClass('active').find('.o_lc_ws_unread').remove();
        this._openSession(id);
    },

    _onMore: function (ev) {
        ev.preventDefault();
        if (this.list.everywhere) {
            this._searchAll(this.search, this.list.sessions.length);
        } else {
            this._loadList(this.list.sessions.length);
        }
    },
};

return WorkspaceList;
});
