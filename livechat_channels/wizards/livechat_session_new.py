# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LivechatSessionNew(models.TransientModel):
    """+New session to a WhatsApp customer who has not written in the last
    24 hours: WhatsApp lets a business write first only with an approved
    message template, so the chat's template is sent instead of a text."""

    _inherit = "livechat.session.new"

    whatsapp_window_closed = fields.Boolean(
        compute="_compute_whatsapp",
        string="WhatsApp Window Closed",
        help="The customer has not written on WhatsApp in the last 24 hours.",
    )
    whatsapp_template = fields.Char(
        compute="_compute_whatsapp",
        string="WhatsApp Template",
        help="The approved template of the chat's WhatsApp connector.",
    )

    @api.depends("chat_id", "account_id")
    def _compute_whatsapp(self):
        Connector = self.env["livechat.connector"]
        for wizard in self:
            connector = (
                wizard.account_id.channel == "whatsapp"
                and wizard.chat_id
                and Connector._connector_for("whatsapp", wizard.chat_id)
            )
            closed = bool(connector) and not connector._window_open(wizard.account_id)
            wizard.whatsapp_window_closed = closed
            wizard.whatsapp_template = closed and connector.template_name

    def _no_template_reason(self):
        return _(
            "The customer has not written on WhatsApp in the last 24 "
            "hours: WhatsApp accepts only an approved message template "
            "then, and the chat's WhatsApp connector has none. An "
            "administrator sets it in the live chat's Messengers tab."
        )

    def _check_first_message(self):
        if not self.whatsapp_window_closed:
            return super(LivechatSessionNew, self)._check_first_message()
        if not self.whatsapp_template:
            raise UserError(self._no_template_reason())
        return None

    def _why_not_now(self):
        reason = super(LivechatSessionNew, self)._why_not_now()
        if not reason and self.whatsapp_window_closed and not self.whatsapp_template:
            return self._no_template_reason()
        return reason

    def _first_message_note(self):
        if not self.whatsapp_window_closed:
            return super(LivechatSessionNew, self)._first_message_note()
        return (
            _(
                "The customer has not written on WhatsApp in the last 24 hours: "
                "the approved template %s is sent instead of your text."
            )
            % self.whatsapp_template
        )

    def _check_first_message_extras(self):
        if self.whatsapp_window_closed:
            raise UserError(
                _(
                    "WhatsApp takes only the approved template until the "
                    "customer answers: send the files and the quote then."
                )
            )
        return super(LivechatSessionNew, self)._check_first_message_extras()

    def _send_first_message(self, session):
        if not self.whatsapp_window_closed:
            return super(LivechatSessionNew, self)._send_first_message(session)
        # The template is what WhatsApp accepts outside the 24-hour window:
        # the window's check is settled above, not by the reply.
        message = session._reply(
            _("WhatsApp template: %s") % self.whatsapp_template, check_channel=False
        )
        # Read by the delivery job, which runs after this transaction.
        message.sudo().whatsapp_template = self.whatsapp_template
        return message
