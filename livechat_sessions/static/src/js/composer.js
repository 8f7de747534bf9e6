odoo.define('livechat_sessions.Composer', function (require) {
'use strict';
/**
 * The composer of a conversation (a part of livechat_sessions.Conversation):
 * the text, the files uploaded for the reply, the quoted message, the
 * response templates ("/shortcut" then Tab, or the templates menu), and
 * sending through ``reply`` of the conversation's model.
 */
var core = require('web.core');

var QWeb = core.qweb;
var _t = core._t;

var Composer = {
    composerEvents: {
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
    },

    _post: function (values) {
        return this._rpc({
            model: this.options.model,
            method: 'reply',
            args: [this.options.sessionId, values.body],
            kwargs: {attachment_ids: values.attachment_ids, quote_id: values.quote_id},
        });
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
};

return Composer;
});
