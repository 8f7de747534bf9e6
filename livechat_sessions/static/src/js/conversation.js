odoo.define('livechat_sessions.Conversation', function (require) {
'use strict';
/**
 * The conversation of one live chat session: its messages (with the
 * customer's earlier sessions in the same chat above them, loaded page by
 * page), and a composer (text, attachments, a quoted message).
 *
 * It reads and replies through a model that inherits `livechat.conversation`
 * (`messages`, `reply`): the workspace's or the form widget's.
 *
 *   new Conversation(parent, {
 *       model: 'livechat.workspace',
 *       sessionId: 42,
 *       markSeen: true,          // opening it marks it seen for the user
 *       customerSide: true,      // the customer's window: no response
 *                                // templates, no saving files into Odoo
 *       onLoad: function (data) {},  // optional: each first page loaded
 *   });
 *
 * Staff may switch to the customer's timeline ("All channels", kept per
 * browser): the sessions of all the customer's accounts, in every chat
 * they may read, and a reply through any of those accounts (Composer).
 *
 * This file is the thread (pages of messages, files, dates); the search in
 * it is ConversationSearch's (``search(text)``), the composer Composer's,
 * who else is in it Presence's.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');
var time = require('web.time');
var viewDialogs = require('web.view_dialogs');
var Widget = require('web.Widget');
var Composer = require('livechat_sessions.Composer');
var ConversationSearch = require('livechat_sessions.ConversationSearch');
var Presence = require('livechat_sessions.Presence');

var QWeb = core.qweb;
/** Raster pictures: the only files shown inline (engine/files.py). */
var RASTER_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'];
var _t = core._t;
/** How far a reply's delivery has gone (a later state never goes back). */
var DELIVERY_ORDER = {pending: 1, sent: 2, delivered: 3, failed: 4};
/** Where the "All channels" switch is kept, for every conversation. */
var TIMELINE_KEY = 'livechat_sessions.timeline';

function storedTimeline() {
    try {
        return window.localStorage.getItem(TIMELINE_KEY) === '1';
    } catch (e) {
        return false;  // storage refused (private window): off
    }
}

var Conversation = Widget.extend(ConversationSearch, Composer, Presence, {
    template: 'livechat_sessions.Conversation',
    events: _.extend({
        'click .o_lc_load_more': '_onLoadMore',
        'click .o_lc_save_attachment': '_onSaveAttachment',
        'click .o_lc_timeline_toggle': '_onTimelineToggle',
    }, ConversationSearch.searchEvents, Composer.composerEvents),

    init: function (parent, options) {
        this._super.apply(this, arguments);
        this.options = options;
        this.session = null;
        this.messages = [];
        // Lines between the messages: the session assigned, taken, closed
        // (not ``this.events``: that is the widget's table of DOM events).
        this.sessionEvents = [];
        this.hasMore = false;
        // Each channel's label and icon (the user's language), for the
        // messages that arrive over the bus.
        this.channels = {};
        // Reply id -> the latest delivery state the bus told of.
        this.deliveryStates = {};
        this.quote = null;
        this.pending = [];  // uploaded attachments waiting for the reply
        // The search bar's text in this conversation and what it found:
        // {query, hits: [{id, date, snippet}], index, nameMatch}.
        this.found = null;
        // The customer's timeline: every account and chat (staff only).
        this.timeline = !options.customerSide && storedTimeline();
        // Its open sessions: whose messages the bus brings in live.
        this.timelineSessionIds = [];
    },

    destroy: function () {
        this._stopPresence();
        this._super.apply(this, arguments);
    },

    // Public ----------------------------------------------------------------

    /** Whether what happens in session ``sessionId`` shows here: the
     *  session's own, or its customer's other open sessions when the
     *  timeline is on. */
    shows: function (sessionId) {
        return sessionId === this.options.sessionId ||
            (this.timeline && _.contains(this.timelineSessionIds, sessionId));
    },

    /** Show the newest page of the conversation. */
    reload: function () {
        var self = this;
        return this._load(0).then(function (data) {
            // A reload (a message arriving, the session taken) keeps what the
            // operator was writing: the draft, the quote, the attachments.
            var sameSession = self.session && self.session.id === data.session.id;
            var draft = sameSession ? self.$('.o_lc_composer_input').val() : '';
            // The operator typing keeps typing: the new composer takes the
            // focus and the caret in the same task, so no keystroke lands
            // on the one drawn away (CI saw "Let me lo" sent for "Let me
            // look").
            var input = self.$('.o_lc_composer_input')[0];
            var caret = sameSession && input && document.activeElement === input
                ? [input.selectionStart, input.selectionEnd] : null;
            var $thread = self.$('.o_lc_thread');
            var reading = sameSession && $thread.length && $thread[0].scrollTop +
                $thread[0].clientHeight < $thread[0].scrollHeight - 20;
            var scrollTop = $thread.length && $thread[0].scrollTop;
            if (!sameSession) {
                self.quote = null;
                self.pending = [];
                self.found = null;
                self.via = null;
                self.replyChannels = null;
            }
            self.session = data.session;
            self.channels = data.channels || self.channels;
            self.timelineSessionIds = data.timeline_session_ids || [];
            self._mergeEvents(data.events, !sameSession);
            // Older pages the operator loaded (or a search did) stay, as
            // long as the new page joins them without a gap.
            var first = data.messages[0];
            var shown = self.messages;
            if (sameSession && first && _.findWhere(shown, {id: first.id})) {
                self.messages = _.filter(shown, function (m) {
                    return m.id < first.id;
                }).concat(data.messages);
            } else {
                self.messages = data.messages;
                self.hasMore = data.has_more;
            }
            if (sameSession) {
                // Messages added while the page was on its way (a reply
                // just sent, one from the bus) stay.
                var last = _.last(self.messages);
                self.messages = self.messages.concat(_.filter(shown, function (m) {
                    return !last || m.id > last.id;
                }));
            }
            self._keepDeliveryStates();
            self.renderElement();
            if (draft) {
                self.$('.o_lc_composer_input').val(draft);
            }
            var $input = self.$('.o_lc_composer_input');
            if (caret && $input.length && !$input.prop('disabled')) {
                $input.focus();
                $input[0].setSelectionRange(caret[0], caret[1]);
            }
            self._startPresence();
            if (self.timeline) {
                self._loadReplyChannels();
            }
            self._highlight();
            if (reading) {
                // The operator is reading further up: stay there.
                self.$('.o_lc_thread').scrollTop(scrollTop);
            } else {
                self._scrollToBottom();
            }
        });
    },

    _load: function (beforeId, limit) {
        var self = this;
        return this._rpc({
            model: this.options.model,
            method: 'messages',
            args: [this.options.sessionId],
            kwargs: {
                before_id: beforeId,
                limit: limit,
                mark_seen: !!this.options.markSeen && !beforeId,
                timeline: this.timeline,
            },
        }).then(function (data) {
            if (!beforeId && self.options.onLoad) {
                self.options.onLoad(data);
            }
            return data;
        });
    },

    /** Put the page before the oldest message shown in front of it
     * (``limit`` messages, or the server's page size). */
    _loadEarlier: function (limit) {
        var self = this;
        return this._load(this.messages[0].id, limit).then(function (data) {
            self.messages = data.messages.concat(self.messages);
            self._mergeEvents(data.events);
            self.hasMore = data.has_more;
        });
    },

    /** Keep the session's events known so far and add ``events``, oldest
     *  first (a page repeats the events after its oldest message). */
    _mergeEvents: function (events, reset) {
        var known = reset ? [] : this.sessionEvents;
        var ids = _.pluck(known, 'id');
        this.sessionEvents = _.sortBy(known.concat(_.filter(events || [], function (e) {
            return ids.indexOf(e.id) === -1;
        })), function (e) { return e.date + ' ' + _.str.pad(e.id, 12, '0'); });
    },

    /**
     * Show what a bus payload of this session says, without asking the
     * server: a message (as the conversation renders it: the payload is
     * ``complete``), or where a reply's delivery stands. Returns false for
     * what it cannot apply (a message without its rendering, a quote to
     * look up): the caller reloads.
     */
    applyPayload: function (payload) {
        if (payload.type === 'livechat.presence') {
            // Who is in this session (not in the timeline's others).
            if (payload.session_id === this.options.sessionId) {
                this.applyPresence(payload);
            }
            return true;
        }
        if (payload.type.indexOf('livechat.delivery_') === 0) {
            // Kept: a page read before this state was stored may come back
            // after it (see _keepDeliveryStates).
            this.deliveryStates[payload.message.id] = {
                delivery_state: payload.message.state,
                delivery_error: payload.message.error,
            };
            if (_.findWhere(this.messages, {id: payload.message.id})) {
                this._keepDeliveryStates();
                this._renderThread();
            }
            return true;
        }
        var message = payload.message;
        // livechat.internal_message: an answer in an employee's own window.
        if (!_.contains(['livechat.message', 'livechat.internal_message'], payload.type) ||
                !message || !message.complete ||
                !this.session || !this.shows(message.session_id)) {
            return false;
        }
        var channel = this.channels[message.channel] || {};
        var row = _.extend({}, message, {
            channel_label: channel.label || message.channel_label || message.channel,
            channel_icon: message.direction === 'in' && (channel.icon || false),
        });
        if (row.author === null) {
            // The customer's name and picture, as their earlier messages in
            // this conversation show them (a session has one customer).
            var earlier = _.findWhere(this.messages.slice().reverse(), {
                direction: 'in', session_id: row.session_id,
            }) || _.findWhere(this.messages.slice().reverse(), {direction: 'in'});
            row.author = earlier ? earlier.author : message.author_name;
            row.avatar = earlier ? earlier.avatar : false;
        }
        this.addMessage(row);
        if (message.direction === 'in' && this.options.markSeen) {
            this._markSeenSoon();
        }
        return true;
    },

    /** A reply's delivery only moves forward (queued, sent, delivered; or
     * not delivered): a state the bus told of stays unless the page read
     * says a later one. */
    _keepDeliveryStates: function () {
        var states = this.deliveryStates;
        _.each(this.messages, function (message) {
            var told = states[message.id];
            if (told && (DELIVERY_ORDER[told.delivery_state] || 0) >
                    (DELIVERY_ORDER[message.delivery_state] || 0)) {
                _.extend(message, told);
            }
        });
    },

    /** The user saw the session: told to the server at most once every
     * three seconds while messages arrive (as Discuss marks a channel
     * seen). */
    _markSeenSoon: function () {
        var self = this;
        if (!this._markSeen) {
            this._markSeen = _.throttle(function () {
                if (self.isDestroyed()) {
                    return;
                }
                self._rpc({
                    model: 'livechat.session',
                    method: 'action_mark_seen',
                    args: [[self.options.sessionId]],
                });
            }, 3000);
        }
        this._markSeen();
    },

    /** Add a message that arrived (over the bus, or just posted). */
    addMessage: function (message) {
        if (_.findWhere(this.messages, {id: message.id})) {
            return;
        }
        this.messages.push(message);
        this._renderThread();
        this._scrollToBottom();
    },

    // Rendering -------------------------------------------------------------

    _renderThread: function () {
        this.$('.o_lc_thread').html(QWeb.render('livechat_sessions.Conversation.Thread', {
            widget: this,
            messages: this.messages,
        }));
        this._highlight();
    },

    _scrollToBottom: function () {
        var $thread = this.$('.o_lc_thread');
        if ($thread.length) {
            $thread.scrollTop($thread[0].scrollHeight);
        }
    },

    /** "12/03/2026 14:05" in the user's time zone and language. */
    formatDate: function (value) {
        return moment(time.str_to_datetime(value)).format(
            time.getLangDatetimeFormat().replace(':ss', ''));
    },

    stateLabel: function (state) {
        return {queued: _t('Queued'), active: _t('Active'), closed: _t('Closed')}[state];
    },

    /** The text of a (sanitized) HTML body, parsed without running anything. */
    plainText: function (html, length) {
        var doc = new DOMParser().parseFromString(html || '', 'text/html');
        return (doc.body.textContent || '').slice(0, length);
    },

    /** The events of the open session shown before messages[index]: those
     *  since the message before it (all the rest after the last message,
     *  ``index`` = messages.length). An event never goes among the earlier
     *  sessions' messages. */
    eventsBefore: function (index) {
        var messages = this.messages;
        var sessionId = this.session && this.session.id;
        if (index < messages.length && messages[index].session_id !== sessionId) {
            return [];
        }
        var after = index > 0 && messages[index - 1].session_id === sessionId ?
            messages[index - 1].date : '';
        var until = index < messages.length ? messages[index].date : null;
        return _.filter(this.sessionEvents, function (e) {
            return e.date > after && (until === null || e.date <= until);
        });
    },

    /** Whether a session separator goes before messages[index]. */
    startsSession: function (index) {
        return index === 0 ||
            this.messages[index].session_id !== this.messages[index - 1].session_id;
    },

    attachmentUrl: function (attachment, download) {
        return '/web/content/' + attachment.id + (download ? '?download=true' : '');
    },

    /** Pictures are previewed; any other file only downloads (the server
     *  serves it as a download whatever type it has). */
    isImage: function (attachment) {
        return RASTER_TYPES.indexOf(attachment.mimetype || '') !== -1;
    },

    // Handlers --------------------------------------------------------------

    /** "All channels": the customer's timeline, or back to this chat's
     *  history; the choice stays for the next conversations. */
    _onTimelineToggle: function (ev) {
        ev.preventDefault();
        this.timeline = !this.timeline;
        try {
            window.localStorage.setItem(TIMELINE_KEY, this.timeline ? '1' : '0');
        } catch (e) {
            // Not kept (private window): this conversation still switches.
        }
        // Another set of messages: drawn afresh, not merged with the pages
        // read before.
        this.messages = [];
        this.hasMore = false;
        this.found = null;
        this.replyChannels = null;
        this.via = null;
        return this.reload();
    },

    _onLoadMore: function (ev) {
        ev.preventDefault();
        var self = this;
        var $thread = this.$('.o_lc_thread');
        var heightBefore = $thread[0].scrollHeight;
        return this._loadEarlier().then(function () {
            self._renderThread();
            // Keep the message the operator was reading where it was.
            $thread.scrollTop($thread[0].scrollHeight - heightBefore);
        });
    },

    /** Save a copy of a file into Odoo: on the customer's contact, or on a
     * record of a chosen kind (picked or created in Odoo's usual dialog). */
    _onSaveAttachment: function (ev) {
        ev.preventDefault();
        var self = this;
        var attachmentId = $(ev.currentTarget).data('id');
        this._rpc({
            model: this.options.model,
            method: 'attachment_targets',
            args: [this.options.sessionId],
        }).then(function (targets) {
            var $content = $(QWeb.render('livechat_sessions.Conversation.SaveAttachment', {
                targets: targets,
            }));
            var dialog = new Dialog(self, {
                title: _t('Save a copy into Odoo'),
                $content: $content,
                size: 'medium',
                buttons: [{
                    text: _t('Save'),
                    classes: 'btn-primary o_lc_save_choose',
                    click: function () {
                        var value = $content.find('.o_lc_save_target').val();
                        dialog.close();
                        if (value === 'contact') {
                            return self._saveAttachment(
                                attachmentId, 'res.partner', targets.contact.res_id);
                        }
                        var target = _.findWhere(targets.models, {model: value});
                        new viewDialogs.SelectCreateDialog(self, {
                            res_model: value,
                            title: _.str.sprintf(_t('Save the file on: %s'), _.escape(target.name)),
                            disable_multiple_selection: true,
                            on_selected: function (records) {
                                self._saveAttachment(attachmentId, value, records[0].id);
                            },
                        }).open();
                    },
                }, {text: _t('Cancel'), close: true}],
            });
            dialog.open();
        });
    },

    _saveAttachment: function (attachmentId, model, resId) {
        var self = this;
        return this._rpc({
            model: this.options.model,
            method: 'save_attachment',
            args: [this.options.sessionId, attachmentId, model, resId],
        }).then(function (saved) {
            // Odoo 11's notifications render their text as HTML: the
            // record's name (a customer may have chosen it) is escaped.
            self.do_notify(_t('File saved'), _.str.sprintf(
                _t('A copy is attached to %s.'), _.escape(saved.name)));
        });
    },

});

return Conversation;
});
