odoo.define('livechat_sessions.WorkspaceList', function (require) {
'use strict';
/**
 * The workspace's session list (a part of livechat_sessions.Workspace): the
 * sessions of the group chosen in the menu, page by page, filtered by the
 * search bar when no session is open.
 */
var core = require('web.core');

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

    _renderList: function () {
        this.$('.o_lc_ws_list_body').html(QWeb.render('livechat_sessions.Workspace.List', {
            widget: this,
        }));
    },

    _selectGroup: function (chatId, group) {
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
        this.$('.o_lc_ws_session').removeClass('active');
        $(ev.currentTarget).addClass('active').find('.o_lc_ws_unread').remove();
        this._openSession(id);
    },

    _onMore: function (ev) {
        ev.preventDefault();
        this._loadList(this.list.sessions.length);
    },
};

return WorkspaceList;
});
