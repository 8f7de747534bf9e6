# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.job import identity_exact

from .livechat_chat import CHANNELS


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    channel = fields.Selection(selection_add=CHANNELS)
    answer_by_email = fields.Boolean(
        readonly=True,
        help="The website visitor left this message while nobody could "
        "answer: replies go to their email address too.",
    )

    def _notify_customer_closed(self):
        result = super(LivechatSession, self)._notify_customer_closed()
        if self.channel == "website":
            self.env["livechat.website"]._notify_visitor_closed(self)
        return result

    def _tell_customer_typing(self):
        # Where each channel can show it: the website visitor's window, the
        # employee's chat window, Telegram's "typing…" (a chat action, sent
        # by a job: a provider's call never holds up the operator's typing;
        # one job waits at a time). WhatsApp and email show nothing.
        if self.channel == "website":
            self.env["livechat.website"]._notify_visitor_typing(self)
            return True
        if self.channel == "internal" and self.account_id.user_id:
            chat = self.chat_id
            name = self.env.user.name if chat.show_operator_name else chat.name
            self.env["bus.bus"]._livechat_notify(
                dict(
                    self._bus_values(),
                    type="livechat.presence",
                    presence={"name": name, "state": "typing", "staff": True},
                ),
                partner_ids=self.account_id.user_id.partner_id.ids,
            )
            return True
        if self.channel == "telegram":
            connector = self.env["livechat.connector"]._connector_for(
                "telegram", self._way_in()
            )
            if connector.state == "connected":
                connector.with_delay(
                    priority=1, identity_key=identity_exact
                )._typing_job(self.account_id.external_id)
                return True
        return super(LivechatSession, self)._tell_customer_typing()

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
            "whatsapp", system._way_in()
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

    # Send later -------------------------------------------------------------

    def _scheduled_reply(self, reply_id):
        """The scheduled reply ``reply_id`` of this session, after checking
        that the caller may change it: its author, or a supervisor of the
        chat, Online."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        self._check_staff()
        if not isinstance(reply_id, int) or isinstance(reply_id, bool):
            raise ValidationError(_("A scheduled reply is named by its id."))
        reply = self.env["livechat.scheduled.reply"].sudo().browse(reply_id).exists()
        if not reply or reply.session_id != self:
            raise UserError(_("This session has no such scheduled reply."))
        user = self.env.user
        if not (
            self._is_system()
            or reply.user_id == user
            or self.sudo().chat_id._is_supervisor(user)
        ):
            raise AccessError(
                _("Only its author or a supervisor of the chat may change it.")
            )
        return reply

    @api.multi
    def schedule_reply(self, body, send_at):
        """Send ``body`` to the customer at ``send_at`` (UTC, "YYYY-MM-DD
        HH:MM:SS"): whoever may reply in the session now may schedule it.
        Returns the scheduled reply's id."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        self._check_responsible()
        Scheduled = self.env["livechat.scheduled.reply"].sudo()
        values = Scheduled._checked_values(body, send_at)
        reply = Scheduled.create(dict(values, session_id=self.id, user_id=self.env.uid))
        reply._queue()
        reply._notify()
        return reply.id

    @api.multi
    def edit_scheduled_reply(self, reply_id, body, send_at):
        """Change the text and time of a reply that has not left yet."""
        reply = self._scheduled_reply(reply_id)
        values = reply._checked_values(body, send_at)
        moved = values["send_at"] != reply.send_at
        reply._change(values)
        if moved:
            # The job queued for the old time finds the reply not due (or
            # sent) and does nothing.
            reply._queue()
        return True

    @api.multi
    def cancel_scheduled_reply(self, reply_id):
        """Cancel a reply that has not left yet (or dismiss one that could
        not be sent)."""
        reply = self._scheduled_reply(reply_id)
        if reply.state == "failed":
            reply.write({"state": "cancelled"})
            reply._notify()
        else:
            reply._change({"state": "cancelled"})
        return True

    def _merge_more(self, source):
        # Replies scheduled in the merged session leave from this one.
        self.env.cr.execute(
            "UPDATE livechat_scheduled_reply SET session_id = %s WHERE session_id = %s",
            (self.id, source.id),
        )
        self.env["livechat.scheduled.reply"].invalidate_cache(["session_id"])
        return super(LivechatSession, self)._merge_more(source)
