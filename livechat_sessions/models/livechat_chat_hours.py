# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class LivechatChatHours(models.Model):
    """One stretch of a live chat's working hours on a weekday, in the
    chat's time zone (livechat_chat_availability says what they decide)."""

    _name = "livechat.chat.hours"
    _description = "Live Chat Working Hours"
    _order = "chat_id, weekday, hour_from"

    chat_id = fields.Many2one(
        "livechat.chat", required=True, index=True, ondelete="cascade"
    )
    weekday = fields.Selection(WEEKDAYS, required=True)
    hour_from = fields.Float("From", required=True, default=9.0)
    hour_to = fields.Float("To", required=True, default=17.0)

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for hours in self:
            if not 0 <= hours.hour_from < hours.hour_to <= 24:
                raise ValidationError(
                    _("Working hours run from 0:00 to 24:00, and end after they start.")
                )

    @api.multi
    def write(self, vals):
        # The record rules check the chat before a write, not after: moving
        # hours to another chat would reach a chat one does not supervise.
        if "chat_id" in vals and self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Working hours stay with their live chat."))
        return super(LivechatChatHours, self).write(vals)
