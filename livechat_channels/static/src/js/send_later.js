odoo.define('livechat_channels.SendLater', function (require) {
'use strict';
/**
 * Send later, in every staff conversation (workspace, form widget): the
 * clock button beside Send schedules what is written for a date and time;
 * the replies waiting to leave (and those that could not) show above the
 * composer, each with Edit and Cancel for its author and the chat's
 * supervisors. The server (livechat.scheduled.reply) decides: it says
 * whether the caller may schedule (``session.can_schedule``) and lists the
 * replies with the conversation's first page (``scheduled``); a change
 * anywhere (another screen, the reply leaving) comes as a
 * ``livechat.conversation_changed`` bus event, on which the hosts read the
 * conversation again.
 */
var core = require('web.core');
var Dialog = require('web.Dialog');
var time = require('web.time');
var Conversation = require('livechat_sessions.Conversation');
var errors = require('livechat_sessions.errors');

var QWeb = core.qweb;
var _t = core._t;
/** The value format of <input type="datetime-local">. */
var LOCAL_FORMAT = 'YYYY-MM-DDTHH:mm';

Conversation.include({
    events: _.extend({}, Conversation.prototype.events, {
        'click .o_lc_send_later': '_onSendLater',
        'click .o_lc_scheduled_edit': '_onEditScheduled',
        'click .o_lc_scheduled_cancel': '_onCancelScheduled',
    }),

    init: function () {
        this._super.apply(this, arguments);
        this.scheduled = [];
    },

    _load: function (beforeId) {
        var self = this;
        return this._super.apply(this, arguments).then(function (data) {
            if (!beforeId) {
                self.scheduled = data.scheduled || [];
            }
            return data;
        });
    },

    /** When a scheduled reply leaves, in the user's time. */
    scheduledTime: function (row) {
        return moment(time.str_to_datetime(row.send_at)).format('ddd D MMM, HH:mm');
    },

    _scheduledRow: function (ev) {
        var id = $(ev.currentTarget).closest('.o_lc_scheduled_reply').data('id');
        return _.findWhere(this.scheduled, {id: id});
    },

    _onSendLater: function () {
        var body = this.$('.o_lc_composer_input').val();
        if (!body.trim()) {
            this.do_warn(_t('Send later'), _t('Write the reply first, then choose when it leaves.'));
            return;
        }
        // An hour from now, on the minute: a starting point to change.
        this._askWhen(null, body, moment().add(1, 'hour').startOf('minute'));
    },

    _onEditScheduled: function (ev) {
        var row = this._scheduledRow(ev);
        if (row) {
            this._askWhen(row, row.body, moment(time.str_to_datetime(row.send_at)));
        }
    },

    _onCancelScheduled: function (ev) {
        var self = this;
        var row = this._scheduledRow(ev);
        if (!row) {
            return;
        }
        var question = row.state === 'failed'
            ? _t('Remove this reply that could not be sent?')
            : _t('Cancel this reply? It will not be sent.');
        Dialog.confirm(this, question, {
            confirm_callback: function () {
                return self._rpc({
                    model: 'livechat.session',
                    method: 'cancel_scheduled_reply',
                    args: [[self.session.id], row.id],
                }).then(function () {
                    return self.reload();
                }).fail(errors.tellPlainly(self));
            },
        });
    },

    /** The dialog that schedules ``body`` (or changes ``row``). */
    _askWhen: function (row, body, when) {
        var self = this;
        var $content = $(QWeb.render('livechat_channels.SendLaterDialog', {
            body: body,
            when: when.format(LOCAL_FORMAT),
            min: moment().format(LOCAL_FORMAT),
        }));
        var dialog = new Dialog(this, {
            title: row ? _t('Change the scheduled reply') : _t('Send later'),
            size: 'medium',
            $content: $content,
            buttons: [{
                text: row ? _t('Save') : _t('Schedule'),
                classes: 'btn-primary o_lc_send_later_confirm',
                click: function () {
                    var text = $content.find('.o_lc_send_later_body').val();
                    var local = moment($content.find('.o_lc_send_later_when').val(), LOCAL_FORMAT, true);
                    if (!local.isValid()) {
                        self.do_warn(_t('Send later'), _t('Choose a date and a time.'));
                        return;
                    }
                    var sendAt = local.utc().format('YYYY-MM-DD HH:mm:ss');
                    var call = row ? {
                        method: 'edit_scheduled_reply',
                        args: [[self.session.id], row.id, text, sendAt],
                    } : {
                        method: 'schedule_reply',
                        args: [[self.session.id], text, sendAt],
                    };
                    self._rpc(_.extend({model: 'livechat.session'}, call)).then(function () {
                        dialog.close();
                        if (!row) {
                            self.$('.o_lc_composer_input').val('');
                        }
                        return self.reload();
                    }).fail(errors.tellPlainly(self));
                },
            }, {text: _t('Discard'), close: true}],
        });
        dialog.open();
    },
});

});
