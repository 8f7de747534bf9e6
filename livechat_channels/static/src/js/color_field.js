odoo.define('livechat_channels.ColorField', function (require) {
'use strict';
/**
 * widget="livechat_color": a #rrggbb colour (the website chat's), picked
 * with the browser's colour picker or typed; read-only, a swatch and its
 * code. The server accepts only #rrggbb (livechat.chat's constraint).
 */
var AbstractField = require('web.AbstractField');
var fieldRegistry = require('web.field_registry');

var COLOR = /^#[0-9A-Fa-f]{6}$/;
var DEFAULT = '#875A7B';

var ColorField = AbstractField.extend({
    className: 'o_livechat_color',
    supportedFieldTypes: ['char'],
    events: {
        'input .o_livechat_color_picker': '_onPick',
        'change .o_livechat_color_code': '_onType',
    },

    _renderEdit: function () {
        var value = this.value || '';
        var $code = $('<input type="text" class="o_input o_livechat_color_code"/>')
            .attr('placeholder', DEFAULT).val(value);
        var $picker = $('<input type="color" class="o_livechat_color_picker"/>')
            .val((COLOR.test(value) ? value : DEFAULT).toLowerCase());
        this.$el.empty().append($picker, $code);
    },

    _renderReadonly: function () {
        this.$el.empty();
        if (COLOR.test(this.value || '')) {
            this.$el.append($('<span class="o_livechat_color_swatch"/>')
                .css('background-color', this.value));
        }
        this.$el.append($('<span/>').text(this.value || ''));
    },

    _onPick: function (ev) {
        var value = ev.currentTarget.value.toUpperCase();
        this.$('.o_livechat_color_code').val(value);
        this._setValue(value);
    },

    _onType: function (ev) {
        var value = ev.currentTarget.value.trim();
        if (COLOR.test(value)) {
            this.$('.o_livechat_color_picker').val(value.toLowerCase());
        }
        // A wrong code is kept as typed: saving says what a colour is.
        this._setValue(value);
    },
});

fieldRegistry.add('livechat_color', ColorField);

return ColorField;
});
