odoo.define('livechat_sessions.Presence', function (require) {
'use strict';
/**
 * Who else is in the conversation (a part of livechat_sessions.Conversation):
 * each staff member's conversation says over the bus that they have it
 * open (again every VIEWING_EVERY ms while others are there), that they are typing (at most every
 * TYPING_EVERY ms) and that they left; the others show it above the
 * composer, with the customer typing (website chat, employees' chat).
 * Before a reply leaves while a colleague typed in the session a moment
 * ago, the sender is asked first (the collision guard). A customer's own
 * window (the employees' chat) shows the staff typing a reply. Nothing is
 * stored: what is not said again is forgotten.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');
var session = require('web.session');

var _t = core._t;

/** A viewer says it again this often; forgotten after VIEWING_FOR. */
var VIEWING_EVERY = 30000;
var VIEWING_FOR = 75000;
/** A writer says it at most this often; shown as writing for TYPING_FOR. */
var TYPING_EVERY = 3000;
var TYPING_FOR = 8000;
/** Someone who wrote within this long is "answering" (the guard asks). */
var ANSWERING_FOR = 30000;

var Presence = {
    /** Whether this conversation takes part: the staff's, on a session
     * they may note in (the server checks the same). */
    _presenceShown: function () {
        return !this.options.customerSide && this.session && this.session.can_note;
    },

    /** Say ``state`` for this conversation (errors are not the user's
     * concern: presence is a hint). The staff say all three; a customer's
     * own window (the employees' chat) says only that they type. */
    _sayPresence: function (state) {
        if (!this.session || !(this.session.can_note || this.options.customerSide)) {
            return $.when();
        }
        // Not the widget's _rpc: "left" is said as the conversation goes,
        // and a destroyed widget's call would neither succeed nor fail
        // (its error could then not be kept from the user).
        var model = this.options.model;
        return session.rpc('/web/dataset/call_kw/' + model + '/set_presence', {
            model: model,
            method: 'set_presence',
            args: [this.session.id, state],
            // A reply being written shows the customer "typing…"; a note not.
            kwargs: {reply: state === 'typing' && !this.inNoteMode()},
        }, {shadow: true}).fail(function (error, event) {
            // A session the user no longer reads (a colleague took it) says
            // no: nothing to tell the user about.
            if (event) {
                event.preventDefault();
            }
        });
    },

    /** Called once the conversation's session is known (each reload). */
    _startPresence: function () {
        var self = this;
        this.others = this.others || {};
        if (!this._presenceShown() || this._presenceTimer) {
            this._renderPresence();
            return;
        }
        this._sayPresence('viewing');
        this._presenceTimer = setInterval(function () {
            // Said again only to those here (who would otherwise forget
            // us); someone coming in learns it from our answer to theirs.
            if (!document.hidden && _.size(self.others)) {
                self._sayPresence('viewing');
            }
            self._renderPresence();
        }, VIEWING_EVERY);
    },

    _stopPresence: function () {
        if (this._presenceTimer) {
            clearInterval(this._presenceTimer);
            this._presenceTimer = null;
            this._sayPresence('left');
        }
        clearTimeout(this._presenceRender);
    },

    /** The user writes in the composer: said at most every TYPING_EVERY
     * ms (and at once again after a message went: see _presenceSent). */
    _onPresenceInput: function () {
        var now = Date.now();
        if (this.$('.o_lc_composer_input').val() && this.session &&
                (this.session.can_reply || this.session.can_note) &&
                now - (this._typingSaid || 0) >= TYPING_EVERY) {
            this._typingSaid = now;
            this._sayPresence('typing');
        }
        this._renderPresence();
    },

    /** A message went: the next keystroke is new typing. */
    _presenceSent: function () {
        this._typingSaid = 0;
    },

    /** A ``livechat.presence`` notification of this session: a colleague
     * (by user id), the customer typing (``customer``), or, in a customer's
     * own window, the staff typing a reply (``staff``). */
    applyPresence: function (payload) {
        var presence = payload.presence || {};
        if (!this.others) {
            return;
        }
        var key = presence.customer ? 'customer' : presence.staff ? 'staff' : presence.user_id;
        if (key === session.uid) {
            return;
        }
        var now = Date.now();
        var colleague = !presence.customer && !presence.staff;
        if (colleague && presence.state === 'viewing' && !this.others[key]) {
            // Someone just came in: they learn at once that we are here too
            // (they are then known to us: this ends there).
            this._sayPresence('viewing');
        }
        if (presence.state === 'left') {
            delete this.others[key];
        } else {
            var other = this.others[key] || {colleague: colleague};
            other.name = presence.name;
            other.seen = now;
            if (presence.state === 'typing') {
                other.typed = now;
            }
            this.others[key] = other;
        }
        this._renderPresence();
    },

    /** The others present now: [{name, typing, answering}]. A colleague is
     * there until forgotten; a customer (or, for them, the staff) only
     * while typing. */
    presentOthers: function () {
        var now = Date.now();
        var others = this.others || {};
        _.each(_.keys(others), function (id) {
            var other = others[id];
            if (now - other.seen > (other.colleague ? VIEWING_FOR : TYPING_FOR)) {
                delete others[id];
            }
        });
        return _.map(_.values(others), function (other) {
            return {
                name: other.name,
                typing: !!other.typed && now - other.typed < TYPING_FOR,
                answering: other.colleague && !!other.typed &&
                    now - other.typed < ANSWERING_FOR,
            };
        });
    },

    _renderPresence: function () {
        var self = this;
        var $strip = this.$('.o_lc_presence');
        if (!$strip.length) {
            return;
        }
        var others = this.presentOthers();
        var writing = !!this.$('.o_lc_composer_input').val();
        var parts = _.map(others, function (other) {
            return _.str.sprintf(other.typing ? _t('%s is typing…') : _t('%s is viewing'),
                _.escape(other.name));
        });
        $strip.html(parts.join(' · '))
            .toggleClass('hidden', !parts.length)
            // Writing while someone else is answering: the guard's warning.
            .toggleClass('o_lc_presence_warn', writing && _.some(others, function (o) {
                return o.answering;
            }));
        // A "writing" fades by itself when nothing more is said.
        clearTimeout(this._presenceRender);
        if (_.some(others, function (o) { return o.typing; })) {
            this._presenceRender = setTimeout(function () {
                self._renderPresence();
            }, TYPING_FOR);
        }
    },

    /** The collision guard: resolves when the reply may leave (nobody else
     * answering, or the sender said so), rejects otherwise. */
    _guardCollision: function () {
        var answering = _.where(this.presentOthers(), {answering: true});
        if (!answering.length) {
            return $.when();
        }
        var def = $.Deferred();
        var names = _.pluck(answering, 'name').join(', ');
        Dialog.confirm(this, _.str.sprintf(
            _t('%s is answering this session too. Send your reply anyway?'), names), {
            confirm_callback: function () { def.resolve(); },
            cancel_callback: function () { def.reject(); },
        });
        return def;
    },
};

return Presence;
});
