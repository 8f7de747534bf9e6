odoo.define('livechat_sessions.errors', function (require) {
'use strict';
/**
 * Refusals a person meets in normal work (the session was taken meanwhile,
 * an action their role lacks, a value the server refuses) are told in one
 * sentence, in Odoo's notification, not in its server-error dialog.
 * Anything else (a bug, the server gone) still opens Odoo's dialog.
 *
 *   this._rpc({...}).fail(errors.tellPlainly(this));
 */
var core = require('web.core');

var _t = core._t;
var PLAIN = ['user_error', 'warning', 'access_error', 'validation_error', 'missing_error'];

function tellPlainly(widget) {
    return function (error, event) {
        var data = error && error.data;
        if (!event || !data || PLAIN.indexOf(data.exception_type) === -1) {
            return;
        }
        event.preventDefault();
        var text = (data.arguments && data.arguments[0]) || data.message || '';
        // Odoo 11's notifications render their text as HTML.
        widget.do_warn(_t('Not done'), _.escape(text), true);
    };
}

return {tellPlainly: tellPlainly};
});
