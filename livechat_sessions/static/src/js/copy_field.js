odoo.define('livechat_sessions.CopyField', function (require) {
'use strict';
/**
 * widget="livechat_copy": a read-only text that an administrator pastes
 * elsewhere (the website chat's tag, a webhook address), in a box with a
 * Copy button.
 */
var AbstractField = require('web.AbstractField');
var core = require('web.core');
var fieldRegistry = require('web.field_registry');

var _t = core._t;

var CopyField = AbstractField.extend({
    className: 'o_livechat_copy input-group',
    supportedFieldTypes: ['char', 'text'],
    events: {
        'click .o_livechat_copy_button': '_onCopy',
    },

    _render: function () {
        var $value = $('<input type="text" readonly="readonly" class="form-control o_livechat_copy_value"/>')
            .val(this.value || '');
        var $button = $('<button type="button" class="btn btn-default o_livechat_copy_button"/>')
            .text(_t('Copy'))
            .prop('disabled', !this.value);
        this.$el.empty().append($value, $('<span class="input-group-btn"/>').append($button));
    },

    /** The Clipboard API where the page may use it (HTTPS, localhost),
     * else the browser's copy of the selected text. */
    _onCopy: function (ev) {
        ev.preventDefault();
        ev.stopPropagation();
        var self = this;
        var done = function () {
            self.do_notify(_t('Copied'), _t('Paste it where it belongs.'));
        };
        var bySelection = function () {
            self.$('.o_livechat_copy_value').select();
            var copied = false;
            try {
                copied = document.execCommand('copy');
            } catch (e) {
                copied = false;
            }
            if (copied) {
                done();
            } else {
                self.do_warn(_t('Copy'), _t('Select the text and copy it with Ctrl+C.'));
            }
        };
        if (navigator.clipboard && window.isSecureContext) {
            navigator.clipboard.writeText(this.value).then(done, bySelection);
        } else {
            bySelection();
        }
    },
});

fieldRegistry.add('livechat_copy', CopyField);

return CopyField;
});
