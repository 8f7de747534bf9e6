odoo.define('livechat_sessions.ConversationHost', function (require) {
'use strict';
/**
 * What the widgets that show live chat conversations share: the workspace,
 * the widget on forms, the employees' chat window and the systray.
 *
 * ``LivechatBus``: while the widget lives, Odoo's bus hands
 * ``_onLivechatNotifications(payloads)`` this project's payloads only (their
 * type starts with ``livechat.``), never the other apps' notifications;
 * ``_readLive(method)`` reads what they apply to again without losing
 * those that arrive meanwhile; ``_onLivechatResumed()`` reads everything
 * again when the page may have missed notifications (offline, asleep).
 *
 *   Widget.extend(LivechatBus, {
 *       start: function () {
 *           this._listenLivechatBus();
 *           return this._super.apply(this, arguments);
 *       },
 *       _onLivechatNotifications: function (payloads) {...},
 *   });
 *
 * ``ConversationHost``: one conversation at a time in a node of the widget
 * (``this.conversation``), the one shown before destroyed.
 */
var bus = require('bus.bus').bus;
var core = require('web.core');
var Conversation = require('livechat_sessions.Conversation');

/**
 * Notifications the page may have missed. Odoo's bus keeps them about 100
 * seconds, and Odoo 11's client says nothing when it could not poll: the
 * page was offline (the browser's "offline" event), or asleep (a laptop's
 * lid, a frozen tab: a tick of this clock comes much later than due).
 * Once the browser is online again, ``livechat_resumed`` on the web
 * client's bus tells every live widget to read what it shows again: the
 * one full reload a page makes for what it cannot have applied.
 */
var TICK = 5000;
var ASLEEP_AFTER = 60000;
var missed = false;
var lastTick = Date.now();

function resumeIfMissed() {
    if (missed && navigator.onLine !== false) {
        missed = false;
        core.bus.trigger('livechat_resumed');
    }
}
setInterval(function () {
    var now = Date.now();
    if (now - lastTick > ASLEEP_AFTER) {
        missed = true;
    }
    lastTick = now;
    resumeIfMissed();
}, TICK);
window.addEventListener('offline', function () { missed = true; });
window.addEventListener('online', resumeIfMissed);

var LivechatBus = {
    /** Listen until the widget is destroyed: Odoo's event dispatcher
     * unsubscribes a destroyed listener by itself. */
    _listenLivechatBus: function () {
        bus.on('notification', this, this._onBusNotification);
        core.bus.on('livechat_resumed', this, this._onLivechatResumed);
    },

    /** The page may have missed notifications (see ``resumeIfMissed``):
     * the conversation shown is read again; widgets that show more (lists,
     * counters) read those too. */
    _onLivechatResumed: function () {
        if (this.conversation) {
            this.conversation.reload();
        }
    },

    _onBusNotification: function (notifications) {
        var payloads = _.filter(_.pluck(notifications, 1), function (payload) {
            return payload && typeof payload.type === 'string' &&
                payload.type.indexOf('livechat.') === 0;
        });
        if (payloads.length) {
            if (this._reading) {
                // A read is on its way: its answer may have been counted
                // before what these payloads say was stored.
                this._reading.stale = true;
            }
            this._onLivechatNotifications(payloads);
        }
    },

    /** Called with each batch of ``livechat.*`` payloads (to override). */
    _onLivechatNotifications: function () {},

    /**
     * Run the widget's ``method`` (a read of what the payloads are applied
     * to: counters, a list); when payloads came while its answer was on its
     * way, run it once more (only once: a busy team's messages never chain
     * reads).
     */
    _readLive: function (method, again) {
        var self = this;
        var reading = this._reading = {stale: false};
        return this[method]().always(function () {
            if (self._reading === reading) {
                self._reading = null;
            }
            if (reading.stale && again !== false) {
                self._readLive(method, false);
            }
        });
    },
};

var ConversationHost = {
    /**
     * Show a conversation in ``$target`` (``options`` as Conversation takes
     * them), in place of the one shown before. Resolves once its newest page
     * is on screen.
     */
    _showConversation: function ($target, options) {
        this._dropConversation();
        var conversation = new Conversation(this, options);
        this.conversation = conversation;
        $target.empty();
        return conversation.appendTo($target).then(function () {
            return conversation.reload();
        });
    },

    _dropConversation: function () {
        if (this.conversation) {
            this.conversation.destroy();
        }
        this.conversation = null;
    },

    /** Reload the conversation shown when it is ``sessionId``'s. */
    _reloadConversation: function (sessionId) {
        if (this.conversation && this.conversation.options.sessionId === sessionId) {
            return this.conversation.reload();
        }
        return $.when();
    },

    /** A message or a delivery state of the conversation shown (of its
     * customer's timeline too): applied
     * from the payload, reloaded only when the payload cannot say it all
     * (Conversation.applyPayload). */
    _applyToConversation: function (payload) {
        var conversation = this.conversation;
        if (!conversation || !conversation.shows(payload.session_id)) {
            return;
        }
        if (!conversation.session || !conversation.applyPayload(payload)) {
            conversation.reload();
        }
    },
};

return {LivechatBus: LivechatBus, ConversationHost: ConversationHost};
});
