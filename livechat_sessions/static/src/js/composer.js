odoo.define('livechat_sessions.Composer', function (require) {
'use strict';
/**
 * The composer of a conversation (a part of livechat_sessions.Conversation):
 * the text, the files uploaded for the reply, the quoted message, the
 * response templates ("/shortcut" then Tab, or the templates menu), and
 * sending through ``reply`` of the conversation's model.
 */
var core = require('web.core');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;
var _t = core._t;

var Composer = {
    composerEvents: {
        'contextmenu .o_lc_message': '_onQuoteMessage',
        'click .o_lc_quote_button': '_onQuoteMessage',
        'click .o_lc_composer_quote .o_lc_remove': '_onClearQuote',
        'keydown .o_lc_composer_input': '_onKeydown',
        'input .o_lc_composer_input': '_onInput',
        'mousedown .o_lc_suggestion': '_onSuggestionClick',
        'click .o_lc_send': '_onSend',
        'click .o_lc_note_toggle': '_onNoteToggle',
        'click .o_lc_attach': '_onAttach',
        'change .o_lc_file_input': '_onFileChosen',
        'click .o_lc_pending .o_lc_remove': '_onRemoveAttachment',
        'show.bs.dropdown .o_lc_templates': '_onTemplatesOpen',
        'click .o_lc_template': '_onTemplateClick',
        'change .o_lc_reply_via': '_onViaChange',
    },

    /** Whether Send adds an internal note: the toggle is on, or the user
     *  may write notes but not reply. */
    inNoteMode: function () {
        var session = this.session || {};
        return !!session.can_note && (!!this.noteMode || !session.can_reply);
    },

    replyPlaceholder: function () {
        return _t('Write a reply… (Enter sends, Shift+Enter for a new line; right-click a message to quote it)');
    },

    notePlaceholder: function () {
        return _t('Write an internal note… (Enter adds it; only the staff see it)');
    },

    _onNoteToggle: function () {
        this.noteMode = !this.noteMode;
        var note = this.inNoteMode();
        this.$('.o_lc_composer').toggleClass('o_lc_composer_note', note);
        this.$('.o_lc_composer_input')
            .attr('placeholder', note ? this.notePlaceholder() : this.replyPlaceholder())
            .focus();
    },

    _postNote: function (body) {
        return this._rpc({
            model: this.options.model,
            method: 'add_note',
            args: [this.options.sessionId, body],
        });
    },

    _post: function (values) {
        var self = this;
        var route = this.viaRoute();
        var via = route && !route.current ? route.account_id : false;
        return this._rpc({
            model: this.options.model,
            method: 'reply',
            args: [this.options.sessionId, values.body],
            kwargs: {
                attachment_ids: values.attachment_ids,
                quote_id: values.quote_id,
                via_account_id: via,
            },
        }).then(function (message) {
            if (via) {
                // Sent in the account's open session, or a new one: the
                // timeline now takes its messages live, and the routes
                // change (an open session to join, a window open).
                self.timelineSessionIds = _.union(
                    self.timelineSessionIds, [message.session_id]);
                self._loadReplyChannels();
            }
            return message;
        });
    },

    // Replying through another account of the customer (the timeline) --------

    /** The route of the account the reply goes through: the one chosen,
     *  else the session's own. */
    viaRoute: function () {
        var routes = this.replyChannels || [];
        return _.findWhere(routes, {account_id: this.via}) ||
            _.findWhere(routes, {current: true});
    },

    /** Read where a reply can go (the timeline on, the composer shown). */
    _loadReplyChannels: function () {
        var self = this;
        var session = this.session;
        if (!this.timeline || !session || !session.can_reply || this.options.customerSide) {
            this.replyChannels = null;
            this._renderVia();
            return $.when();
        }
        return this._rpc({
            model: this.options.model,
            method: 'reply_channels',
            args: [this.options.sessionId],
        }).then(function (routes) {
            if (self.isDestroyed() || !self.session || self.session.id !== session.id) {
                return;
            }
            self.replyChannels = routes;
            var chosen = _.findWhere(routes, {account_id: self.via});
            if (!chosen || chosen.reason) {
                self.via = null;  // the session's own account again
            }
            self._renderVia();
        });
    },

    _renderVia: function () {
        this.$('.o_lc_reply_via_row').html(QWeb.render(
            'livechat_sessions.Conversation.ReplyVia', {widget: this}));
    },

    _onViaChange: function (ev) {
        this.via = parseInt($(ev.currentTarget).val(), 10) || null;
        this._renderVia();
        this.$('.o_lc_composer_input').focus();
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

    _insertTemplate: function (template) {
        var $input = this.$('.o_lc_composer_input');
        var text = $input.val().replace(/(^|\s)\/\S*$/, '$1');
        $input.val(text + (text && !/\s$/.test(text) ? ' ' : '') + template.text).focus();
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

    _onTemplatesOpen: function () {
        var self = this;
        this._templates().then(function (templates) {
            self.$('.o_lc_templates_menu').html(QWeb.render(
                'livechat_sessions.Conversation.Templates', {templates: templates}));
        });
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

    /** The "/shortcut" being typed at the end of the text, or null. */
    _typedShortcut: function () {
        var typed = /(?:^|\s)\/(\S*)$/.exec(this.$('.o_lc_composer_input').val() || '');
        return typed ? typed[1].toLowerCase() : null;
    },

    /** Suggest the templates whose shortcut starts with what is typed. */
    _onInput: function () {
        var self = this;
        this._onPresenceInput();
        var typed = this._typedShortcut();
        if (typed === null || this.options.customerSide) {
            this._closeSuggestions();
            return;
        }
        this._templates().then(function (templates) {
            if (self._typedShortcut() !== typed) {
                return;  // typed on meanwhile: that input suggests anew
            }
            self.suggestions = self._matching(templates, typed);
            self.selected = 0;
            self._renderSuggestions();
        });
    },

    _matching: function (templates, typed) {
        return _.filter(templates, function (t) {
            return t.shortcut &&
                t.shortcut.replace(/^\//, '').toLowerCase().indexOf(typed) === 0;
        });
    },

    _renderSuggestions: function () {
        var $list = this.$('.o_lc_suggestions');
        var open = !!(this.suggestions && this.suggestions.length);
        $list.toggleClass('hidden', !open).html(open ? QWeb.render(
            'livechat_sessions.Conversation.Suggestions',
            {suggestions: this.suggestions, selected: this.selected}) : '');
    },

    _closeSuggestions: function () {
        this.suggestions = null;
        this._renderSuggestions();
    },

    _onSuggestionClick: function (ev) {
        ev.preventDefault();  // the input keeps the focus
        var template = this.suggestions && this.suggestions[$(ev.currentTarget).data('index')];
        if (template) {
            this._insertTemplate(template);
            this._closeSuggestions();
        }
    },

    _onKeydown: function (ev) {
        var keys = $.ui.keyCode;
        var open = !!(this.suggestions && this.suggestions.length);
        if (open && (ev.which === keys.UP || ev.which === keys.DOWN)) {
            ev.preventDefault();
            var step = ev.which === keys.UP ? -1 : 1;
            var count = this.suggestions.length;
            this.selected = (this.selected + step + count) % count;
            this._renderSuggestions();
            return;
        }
        if (open && (ev.which === keys.TAB || ev.which === keys.ENTER)) {
            // Tab or Enter: the selected template, not a tab or a send.
            ev.preventDefault();
            this._insertTemplate(this.suggestions[this.selected]);
            this._closeSuggestions();
            return;
        }
        var typed = this._typedShortcut();
        if (!open && ev.which === keys.TAB && typed !== null && !this.options.customerSide) {
            // Tab before the suggestions came: the first that matches.
            ev.preventDefault();
            var self = this;
            this._templates().then(function (templates) {
                var template = self._matching(templates, typed)[0];
                if (template) {
                    self._insertTemplate(template);
                }
                self._closeSuggestions();
            });
            return;
        }
        if (open && ev.which === keys.ESCAPE) {
            ev.preventDefault();
            this._closeSuggestions();
            return;
        }
        // Enter sends, Shift+Enter starts a new line.
        if (ev.which === keys.ENTER && !ev.shiftKey) {
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
                }).fail(errors.tellPlainly(self));
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
        var note = this.inNoteMode();
        if (note && (this.pending.length || this.quote || !body.trim())) {
            this.do_warn(_t('Internal note'),
                _t('A note is text only: remove the files and the quote, or send them as a reply.'));
            return;
        }
        // A note disturbs nobody; a reply while someone else is answering
        // is asked first (Presence).
        (note ? $.when() : this._guardCollision()).then(function () {
            self._sendNow(note, body);
        });
    },

    _sendNow: function (note, body) {
        var self = this;
        var $input = this.$('.o_lc_composer_input');
        if (this._posting) {
            return;
        }
        this._posting = true;
        (note ? this._postNote(body) : this._post({
            body: body.trim() ? body : _t('(attachment)'),
            attachment_ids: _.pluck(this.pending, 'id'),
            quote_id: this.quote ? this.quote.id : false,
        })).then(function (message) {
            self._presenceSent();
            $input.val('');
            self.quote = null;
            self.pending = [];
            self._renderComposerExtras();
            self.addMessage(message);
        }).fail(errors.tellPlainly(this)).always(function () {
            self._posting = false;
        });
    },
};

return Composer;
});
