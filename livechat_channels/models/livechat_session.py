# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

from .livechat_chat import CHANNELS


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    channel = fields.Selection(selection_add=CHANNELS)

    def _notify_customer_closed(self):
        result = super(LivechatSession, self)._notify_customer_closed()
        if self.channel == "website":
            self.env["livechat.website"]._notify_visitor_closed(self)
        return result

    def _check_channel_takes_reply(self):
        """WhatsApp takes a business's free text only within 24 hours of the
        customer's last message (its customer service window); outside it,
        Meta refuses the message later, in a status notification. The
        operator is told now instead, and nothing is stored."""
        super(LivechatSession, self)._check_channel_takes_reply()
        if self.channel != "whatsapp":
            return
        system = self.sudo()
        connector = self.env["livechat.connector"]._connector_for(
            "whatsapp", system.chat_id
        )
        if connector and not connector._window_open(system.account_id):
            raise UserError(
                _(
                    "The customer has not written on WhatsApp in the last 24 "
                    "hours: WhatsApp accepts only an approved template until "
                    "they write again. Close this session and start a + New "
                    "session: it sends the chat's template."
                )
            )
