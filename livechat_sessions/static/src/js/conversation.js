odoo.define('livechat_sessions.Conversation', function (require) {
"use strict";
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
 * ``search(text)`` finds the text in the conversation (its session's name
 * and its messages, older pages included), highlights it and steps through
 * the messages that contain it.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');
var time = require('web.time');
var viewDialogs = require('web.view_dialogs');
var Widget = require('web.Widget');

var QWeb = core.qweb;
/** Raster pictures: the only files shown inline (engine/files.py). */
var RASTER_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'];
var _t = core._t;

var Conversation = Widget.extend({
    template: 'livechat_sessions.Conversation',
    events: {
        'click .o_lc_load_more': '_onLoadMore',
        'contextmenu .o_lc_message': '_onQuoteMessage',
        'click .o_lc_quote_button': '_onQuoteMessage',
        'click .o_lc_composer_quote .o_lc_remove': '_onClearQuote',
        'keydown .o_lc_composer_input': '_onKeydown',
        'click .o_lc_send': '_onSend',
        'click .o_lc_attach': '_onAttach',
        'change .o_lc_file_input': '_onFileChosen',
        'click .o_lc_pending .o_lc_remove': '_onRemoveAttachment',
        'show.bs.dropdown .o_lc_templates': '_onTemplatesOpen',
        'click .o_lc_template': '_onTemplateClick',
        'click .o_lc_save_attachment': '_onSaveAttachment',
        'click .o_lc_hit_prev': '_onPreviousHit',
        'click .o_lc_hit_next': '_onNextHit',
        'click .o_lc_search_clear': '_onClearSearch',
    },

    init: function (parent, options) {
        this._super.apply(this, arguments);
        this.options = options;
        this.session = null;
        this.messages = [];
        this.hasMore = false;
        this.quote = null;
        this.pending = [];  // uploaded attachments waiting for the reply
        // The search bar's text in this conversation and what it found:
        // {query, hits: [{id, date, snippet}], index, nameMatch}.
        this.found = null;
    },

    // Public ----------------------------------------------------------------

    /** Show the newest page of the conversation. */
    reload: function () {
        var self = this;
        return this._load(0).then(function (data) {
            // A reload (a message arriving, the session taken) keeps what the
            // operator was writing: the draft, the quote, the attachments.
            var sameSession = self.session && self.session.id === data.session.id;
            var draft = sameSession ? self.$('.o_lc_composer_input').val() : '';
            var $thread = self.$('.o_lc_thread');
            var reading = sameSession && $thread.length && $thread[0].scrollTop +
                $thread[0].clientHeight < $thread[0].scrollHeight - 20;
            var scrollTop = $thread.length && $thread[0].scrollTop;
            if (!sameSession) {
                self.quote = null;
                self.pending = [];
                self.found = null;
            }
            self.session = data.session;
            // Older pages the operator loaded (or a search did) stay, as
            // long as the new page joins them without a gap.
            var first = data.messages[0];
            if (sameSession && first && _.findWhere(self.messages, {id: first.id})) {
                self.messages = _.filter(self.messages, function (m) {
                    return m.id < first.id;
                }).concat(data.messages);
            } else {
                self.messages = data.messages;
                self.hasMore = data.has_more;
            }
            self.renderElement();
            if (draft) {
                self.$('.o_lc_composer_input').val(draft);
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

    /**
     * Find ``text`` in the conversation: highlight it, and show the newest
     * message containing it (loading older pages as needed); an empty text
     * ends the search.
     */
    search: function (text) {
        var self = this;
        text = (text || '').trim();
        if (!text) {
            this.found = null;
            this._renderSearch();
            this._renderThread();
            return $.when();
        }
        return this._rpc({
            model: this.options.model,
            method: 'find_messages',
            args: [this.options.sessionId, text],
        }).then(function (result) {
            self.found = {
                query: text,
                hits: result.hits,
                nameMatch: result.name_match,
                index: 0,
            };
            self._renderSearch();
            self._renderThread();
            return self._showHit();
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
            self.hasMore = data.has_more;
        });
    },

    _post: function (values) {
        return this._rpc({
            model: this.options.model,
            method: 'reply',
            args: [this.options.sessionId, values.body],
            kwargs: {attachment_ids: values.attachment_ids, quote_id: values.quote_id},
        });
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

    _renderSearch: function () {
        this.$('.o_lc_search_bar').replaceWith(QWeb.render(
            'livechat_sessions.Conversation.Search', {widget: this}));
    },

    /**
     * Wrap each occurrence of the searched text in the session's name and
     * the messages' text in <mark>. Only text nodes are split: no markup is
     * built from the text.
     */
    _highlight: function () {
        if (!this.found) {
            return;
        }
        var needle = this.found.query.toLowerCase();
        this.$('.o_lc_session_name, .o_lc_body').each(function () {
            var walker = document.createTreeWalker(this, NodeFilter.SHOW_TEXT);
            var nodes = [];
            while (walker.nextNode()) {
                nodes.push(walker.currentNode);
            }
            _.each(nodes, function (node) {
                var at = node.nodeValue.toLowerCase().indexOf(needle);
                while (at !== -1) {
                    var hit = node.splitText(at);
                    node = hit.splitText(needle.length);
                    var mark = document.createElement('mark');
                    mark.className = 'o_lc_hit';
                    hit.parentNode.replaceChild(mark, hit);
                    mark.appendChild(hit);
                    at = node.nodeValue.toLowerCase().indexOf(needle);
                }
            });
        });
    },

    /** Scroll to the current hit, loading older pages until it is there. */
    _showHit: function () {
        var self = this;
        var hit = this.found && this.found.hits[this.found.index];
        if (!hit) {
            return $.when();
        }
        if (!_.findWhere(this.messages, {id: hit.id}) && this.hasMore) {
            return this._loadEarlier(100).then(function () {
                return self._showHit();
            });
        }
        this._renderThread();
        var $message = this.$('.o_lc_message[data-id=' + hit.id + ']');
        $message.addClass('o_lc_hit_current');
        if ($message.length) {
            $message[0].scrollIntoView({block: 'center'});
        }
        this._renderSearch();
        return $.when();
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

    /** Whether a session separator goes before messages[index]. */
    startsSession: function (index) {
        return index === 0 ||
            this.messages[index].session_id !== this.messages[index - 1].session_id;
    },

    /** The message is the current hit of the search. */
    isCurrentHit: function (message) {
        var hit = this.found && this.found.hits[this.found.index];
        return !!hit && hit.id === message.id;
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

    _onPreviousHit: function (ev) {
        ev.preventDefault();
        // Hits are newest first: "previous" goes up the conversation.
        if (this.found && this.found.index < this.found.hits.length - 1) {
            this.found.index++;
            this._showHit();
        }
    },

    _onNextHit: function (ev) {
        ev.preventDefault();
        if (this.found && this.found.index > 0) {
            this.found.index--;
            this._showHit();
        }
    },

    _onClearSearch: function (ev) {
        ev.preventDefault();
        this.search('');
        this.trigger_up('livechat_search_cleared');
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

    _onQuoteMessage: function (ev) {
        if (!this.session || !this.session.can_reply) {
            return;
        }
        ev.preventDefault();
        var id = $(ev.currentTarget).closest('.o_lc_message').data('id');
        var message = _.findWhere(this.messages, {id: id});
        if (message) {
            this.quote = message;
            this._renderComposerExtras();
            this.$('.o_lc_composer_input').focus();
        }
    },

    _onClearQuote: function () {
        this.quote = null;
        this._renderComposerExtras();
    },

    _renderComposerExtras: function () {
        this.$('.o_lc_composer_extras').html(QWeb.render(
            'livechat_sessions.Conversation.ComposerExtras', {widget: this}));
    },

    _templates: function () {
        if (!this._templatesDef) {
            this._templatesDef = this._rpc({
                model: 'livechat.response.template',
                method: 'get_for_session',
                args: [this.options.sessionId],
            });
        }
        return this._templatesDef;
    },

    _onTemplatesOpen: function () {
        var self = this;
        this._templates().then(function (templates) {
            self.$('.o_lc_templates_menu').html(QWeb.render(
                'livechat_sessions.Conversation.Templates', {templates: templates}));
        });
    },

    _insertTemplate: function (template) {
        var $input = this.$('.o_lc_composer_input');
        var text = $input.val().replace(/(^|\s)\/\S*$/, '$1');
        $input.val(text + (text && !/\s$/.test(text) ? ' ' : '') + template.text).focus();
    },

    _onTemplateClick: function (ev) {
        ev.preventDefault();
        var self = this;
        var id = $(ev.currentTarget).data('id');
        this._templates().then(function (templates) {
            var template = _.findWhere(templates, {id: id});
            if (template) {
                self._insertTemplate(template);
            }
        });
    },

    _onKeydown: function (ev) {
        var self = this;
        // "/shortcut" then Tab: the template with that shortcut.
        var typed = /(?:^|\s)\/(\S+)$/.exec(ev.currentTarget.value);
        if (ev.which === $.ui.keyCode.TAB && typed && !this.options.customerSide) {
            ev.preventDefault();
            this._templates().then(function (templates) {
                var template = _.find(templates, function (t) {
                    return t.shortcut && t.shortcut.replace(/^\//, '') === typed[1];
                });
                if (template) {
                    self._insertTemplate(template);
                }
            });
            return;
        }
        // Enter sends, Shift+Enter starts a new line.
        if (ev.which === $.ui.keyCode.ENTER && !ev.shiftKey) {
            ev.preventDefault();
            this._onSend();
        }
    },

    _onAttach: function () {
        this.$('.o_lc_file_input').click();
    },

    _onFileChosen: function (ev) {
        var self = this;
        _.each(ev.target.files, function (file) {
            var reader = new FileReader();
            reader.onload = function () {
                var data = reader.result.split(',')[1];
                self._rpc({
                    model: 'ir.attachment',
                    method: 'create',
                    args: [{
                        name: file.name,
                        datas: data,
                        datas_fname: file.name,
                        // Attached to the session until the reply takes it.
                        res_model: 'livechat.session',
                        res_id: self.session.id,
                    }],
                }).then(function (id) {
                    self.pending.push({id: id, name: file.name});
                    self._renderComposerExtras();
                });
            };
            reader.readAsDataURL(file);
        });
        ev.target.value = '';
    },

    _onRemoveAttachment: function (ev) {
        var id = $(ev.currentTarget).closest('.o_lc_pending').data('id');
        this.pending = _.reject(this.pending, function (a) { return a.id === id; });
        this._renderComposerExtras();
    },

    _onSend: function () {
        var self = this;
        var $input = this.$('.o_lc_composer_input');
        var body = $input.val();
        if (!body.trim() && !this.pending.length) {
            return;
        }
        if (this._posting) {
            return;  // one reply at a time: a double click sends once
        }
        this._posting = true;
        this._post({
            body: body.trim() ? body : _t('(attachment)'),
            attachment_ids: _.pluck(this.pending, 'id'),
            quote_id: this.quote ? this.quote.id : false,
        }).then(function (message) {
            $input.val('');
            self.quote = null;
            self.pending = [];
            self._renderComposerExtras();
            self.addMessage(message);
        }).always(function () {
            self._posting = false;
        });
    },
});

return Conversation;
});
