# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Replies to messenger and email customers go out through a delivery queue.

``livechat.session.reply`` stores the reply and calls ``_send``; for channels
with a connector, ``_send`` writes a queue job in the same transaction (the
reply and its delivery are committed together or not at all). The job calls
the provider; when the provider is down, answers 5xx or asks to slow down
(429), the job is retried later with back-off, so the reply goes out once
the provider is back. A reply already marked sent is never sent again.
"""

from odoo import _, api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from ..engine import delivery

#: queue_job's retry pattern: from the 1st try wait 10 s, from the 5th 1 min,
#: from the 10th 10 min. With MAX_TRIES a provider may be away for hours.
RETRY_PATTERN = {1: 10, 5: 60, 10: 600}
MAX_TRIES = 60
#: Named at each delay, not only as the default: queue_job registers default
#: channels after the registry is loaded, later than jobs made at install.
JOB_CHANNEL = "root.livechat"


class LivechatMessage(models.Model):
    _inherit = "livechat.message"

    email_message_id = fields.Char(
        "Email Message-Id",
        index=True,
        readonly=True,
        copy=False,
        help="Email channel: the Message-Id, so replies keep the thread.",
    )
    email_subject = fields.Char(readonly=True, copy=False)
    whatsapp_template = fields.Char(
        readonly=True,
        copy=False,
        help="WhatsApp: this message opens a conversation with the approved "
        "template of this name (sent instead of the text).",
    )

    @api.multi
    def _send(self):
        result = super(LivechatMessage, self)._send()
        # Website visitors read replies live from their bus channel.
        Website = self.env["livechat.website"]
        for message in self.filtered(
            lambda m: m.direction == "out" and m.channel == "website"
        ):
            Website._notify_visitor(message)
        Internal = self.env["livechat.internal"]
        for message in self.filtered(
            lambda m: m.direction == "out" and m.channel == "internal"
        ):
            Internal._notify_employee(message)
        Connector = self.env["livechat.connector"]
        for message in self:
            if (
                message.direction == "out"
                and message.delivery_state == "pending"
                and Connector._model_for_channel(message.channel) is not None
            ):
                message.with_delay(
                    channel=JOB_CHANNEL,
                    max_retries=MAX_TRIES,
                    description=_("Deliver reply %s to %s")
                    % (message.id, message.session_id.name),
                )._deliver_job()
        return result

    @job(default_channel=JOB_CHANNEL, retry_pattern=RETRY_PATTERN)
    @api.multi
    def _deliver_job(self):
        """Send this reply through its chat's connector (a queue job)."""
        self.ensure_one()
        message = self.sudo()
        if message.delivery_state != "pending":
            return "Nothing to do: the reply is %s." % message.delivery_state
        # A session's replies reach the customer in the order they were
        # written: an earlier one still waiting (retrying) goes first.
        if message.search_count(
            [
                ("session_id", "=", message.session_id.id),
                ("direction", "=", "out"),
                ("delivery_state", "=", "pending"),
                ("id", "<", message.id),
            ]
        ):
            raise RetryableJobError(
                "An earlier reply of this session is still waiting.",
                seconds=5,
                ignore_retry=True,
            )
        connector = self.env["livechat.connector"]._connector_for(
            message.channel, message.session_id.chat_id
        )
        if connector.state != "connected":
            raise RetryableJobError(
                "The live chat's %s connector is not connected." % message.channel,
                seconds=60,
            )
        try:
            provider_id = connector._deliver(message)
        except delivery.RetryLater as error:
            connector._record_error(str(error))
            raise RetryableJobError(str(error), seconds=error.retry_after or None)
        except delivery.Rejected as error:
            connector._record_error(str(error))
            message.write({"delivery_state": "failed", "delivery_error": str(error)})
            session = message.session_id
            values = session._bus_values()
            session._notify_staff(
                "livechat.delivery_failed",
                values=values,
                message_values={"id": message.id, "error": str(error)},
                audience=session._audience(values),
            )
            return "Refused by the provider: %s" % error
        # Provider ids are unique per conversation at best: scoped by the
        # account so they never meet an inbound message's key.
        message.write(
            {
                "delivery_state": "sent",
                "delivery_error": False,
                "external_id": "out:%s:%s"
                % (message.session_id.account_id.id, provider_id or message.id),
            }
        )
        return "Sent (%s)." % provider_id
