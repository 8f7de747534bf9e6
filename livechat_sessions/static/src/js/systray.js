odoo.define('livechat_sessions.Systray', function (require) {
'use strict';
/**
 * In the systray of every screen, for operators and supervisors: their
 * Online / Offline switch, the count of customers waiting in their chats'
 * queues (a click opens the workspace), and the red count of unread
 * customer messages in their sessions, also shown on the Live Chats menu.
 * All follow the bus.
 */
var core = require('web.core');
var session = require('web.session');
var SystrayMenu = require('web.SystrayMenu');
var Widget = require('web.Widget');
var LivechatBus = require('livechat_sessions.ConversationHost').LivechatBus;
var mailUtils = require('mail.utils');

var _t = core._t;
var MENU = "a[data-menu-xmlid='livechat_sessions.livechat_menu_root']";
/** Notifications that change none of the counts the systray shows. */
var UNCOUNTED = ['livechat.presence', 'livechat.conversation_changed',
    'livechat.session_rated'];

var LivechatStatus = Widget.extend(LivechatBus, {
    template: 'livechat_sessions.Systray',
    events: {
        'click .o_lc_systray_toggle': '_onToggle',
        'click .o_lc_systray_queued': '_onOpenQueue',
    },

    willStart: function () {
        var self = this;
        return session.user_has_group('livechat_sessions.group_livechat_operator')
            .then(function (isOperator) {
                self.isOperator = isOperator;
            });
    },

    start: function () {
        if (!this.isOperator) {
            this.$el.addClass('hidden');
            return this._super.apply(this, arguments);
        }
        this._listenLivechatBus();
        this._refresh();
        return this._super.apply(this, arguments);
    },

    _refresh: function () {
        var self = this;
        return this._rpc({model: 'livechat.workspace', method: 'status', args: []})
            .then(function (data) {
                self._render(data);
            });
    },

    _render: function (data) {
        this.data = data;
        this.status = data.status;
        this.mutedChatIds = data.muted_chat_ids || [];
        var online = data.status === 'online';
        this.$('.o_lc_systray_toggle')
            .toggleClass('o_lc_online', online)
            .attr('title', online ? _t('Live Chats: Online (click to go Offline)')
                : _t('Live Chats: Offline, view only (click to go Online)'));
        this.$('.o_lc_systray_label').text(online ? _t('Online') : _t('Offline'));
        // Customers nobody has taken yet, in the user's chats: seen from any
        // app, one click from the workspace.
        this.$('.o_lc_systray_queued')
            .toggleClass('hidden', !data.queued_total)
            .attr('title', _.str.sprintf(
                _t('%s customer(s) waiting in your live chats\' queues'), data.queued_total))
            .find('.badge').text(data.queued_total || '');
        // The unread count on the Live Chats menu itself.
        var $menu = $(MENU);
        $menu.find('.o_lc_menu_unread').remove();
        if (data.unread_total) {
            $('<span class="badge o_lc_menu_unread"/>').text(data.unread_total).appendTo($menu);
        }
    },

    _onToggle: function (ev) {
        ev.preventDefault();
        var self = this;
        this._rpc({
            model: 'livechat.workspace',
            method: 'set_status',
            args: [this.status === 'online' ? 'offline' : 'online'],
        }).then(function () {
            return self._refresh();
        });
    },

    _onOpenQueue: function (ev) {
        ev.preventDefault();
        this.do_action('livechat_sessions.livechat_workspace_action', {clear_breadcrumbs: true});
    },

    /** A new session, or one assigned to the user, while they are not
     *  looking at the workspace (another app, another tab): a browser
     *  notification (Odoo's own: native when the browser allows it, else in
     *  the page with a sound). Muted chats stay silent. */
    _tellInBrowser: function (payloads) {
        var self = this;
        var watching = !document.hidden && $('.o_lc_workspace:visible').length;
        if (watching || this.status !== 'online') {
            return;
        }
        _.each(payloads, function (payload) {
            if (_.contains(self.mutedChatIds || [], payload.chat_id)) {
                return;
            }
            if (payload.type === 'livechat.session_new') {
                mailUtils.send_notification(self, _t('New live chat session'),
                    _.escape(payload.name || ''));
            } else if (payload.type === 'livechat.session_assigned' &&
                       payload.operator_id === session.uid) {
                mailUtils.send_notification(self, _t('Live chat session assigned to you'),
                    _.escape(payload.name || ''));
            }
        });
    },

    /**
     * Messages and "seen" move the unread count, applied from the payloads
     * (every customer message reaches every operator's systray). Reloaded
     * instead, and named here: a session opened, taken, assigned, closed
     * or marked spam (the queue count is per user: their groups' queues);
     * several of them in a row make one reload. Who is in a conversation
     * and what it shows beside its messages change no count (UNCOUNTED).
     */
    _onLivechatNotifications: function (payloads) {
        var self = this;
        this._tellInBrowser(payloads);
        var reload = false;
        _.each(payloads, function (payload) {
            if (payload.type === 'livechat.message') {
                self._applyMessage(payload);
            } else if (payload.type === 'livechat.seen') {
                self._applySeen(payload);
            } else if (payload.type.indexOf('livechat.delivery_') !== 0 &&
                       !_.contains(UNCOUNTED, payload.type)) {
                reload = true;
            }
        });
        if (this.data) {
            this._render(this.data);
        }
        if (reload) {
            clearTimeout(this._timer);
            this._timer = setTimeout(function () { self._readLive('_refresh'); }, 300);
        }
    },

    /** Back from offline or asleep: the counts are read again. */
    _onLivechatResumed: function () {
        this._readLive('_refresh');
    },

    /** A customer's message in one of the user's active sessions: one more
     *  unread, until it is seen. */
    _applyMessage: function (payload) {
        var message = payload.message || {};
        if (!this.data || message.direction !== 'in' || payload.session_state !== 'active' ||
                payload.operator_id !== session.uid || payload.is_spam) {
            return;
        }
        var unread = this.data.unread || (this.data.unread = {});
        unread[payload.session_id] = (unread[payload.session_id] || 0) + 1;
        this.data.unread_total += 1;
    },

    _applySeen: function (payload) {
        if (!this.data) {
            return;
        }
        var unread = this.data.unread || {};
        _.each(payload.session_ids, function (id) {
            delete unread[id];
        });
        this.data.unread_total = payload.unread_total !== undefined
            ? payload.unread_total
            : _.reduce(_.values(unread), function (a, b) { return a + b; }, 0);
    },
});

SystrayMenu.Items.push(LivechatStatus);

return LivechatStatus;
});
