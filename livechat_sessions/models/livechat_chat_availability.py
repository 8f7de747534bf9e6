# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Whether a live chat is there to answer now: inside its working hours
(if it has any) and with at least one of its operators Online. The website
chat asks when a visitor opens it, and offers to leave a message when not
(livechat_channels)."""
import datetime

import pytz

from odoo import api, fields, models


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    hours_ids = fields.One2many(
        "livechat.chat.hours",
        "chat_id",
        string="Working Hours",
        help="When the chat answers, per weekday, in its time zone. None: "
        "whenever an operator is Online.",
    )
    away_message = fields.Text(
        translate=True,
        default=lambda self: self._default_away_message(),
        help="What the website chat says when nobody can answer now (outside "
        "the working hours, or no operator Online), above the form to leave "
        "a message.",
    )

    def _default_away_message(self):
        return (
            "We are away right now. Leave your message and your email: "
            "we will answer by email."
        )

    def _supervisor_fields(self):
        # A chat's supervisors set when it answers and what it says then.
        return super(LivechatChat, self)._supervisor_fields() | {
            "hours_ids",
            "away_message",
        }

    @api.multi
    def _availability(self, now=None):
        """``None`` when the chat can answer now, else why not: ``"hours"``
        (outside its working hours) or ``"nobody"`` (no operator Online)."""
        self.ensure_one()
        chat = self.sudo()
        if chat.hours_ids:
            utc = pytz.utc.localize(now or datetime.datetime.utcnow())
            local = utc.astimezone(pytz.timezone(chat.tz or "UTC"))
            hour = local.hour + local.minute / 60.0
            if not any(
                hours.weekday == str(local.weekday())
                and hours.hour_from <= hour < hours.hour_to
                for hours in chat.hours_ids
            ):
                return "hours"
        self.env.cr.execute(
            """SELECT 1 FROM res_users u
               JOIN res_groups_users_rel r ON r.uid = u.id
               JOIN livechat_chat_operator_group_rel o ON o.group_id = r.gid
               WHERE o.chat_id = %s AND u.active AND u.livechat_status = 'online'
               LIMIT 1""",
            (chat.id,),
        )
        if not self.env.cr.fetchone():
            return "nobody"
        return None
