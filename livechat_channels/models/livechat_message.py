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
from .livechat_chat import CHANNELS

#: queue_job's retry pattern: from the 1st try wait 10 s, from the 5th 1 min,
#: from the 10th 10 min. With MAX_TRIES a provider may be away for hours.
RETRY_PATTERN = {1: 10, 5: 60, 10: 600}
MAX_TRIES = 60
#: Named at each delay, not only as the default: queue_job registers default
#: channels after the registry is loaded, later than jobs made at install.
JOB_CHANNEL = "root.livechat"


def outbound_key(account_id, provider_id):
    """The external id of a sent reply: the provider's id of it, scoped by
    the account (provider ids are unique per conversation at best), so it
    never meets an inbound message's key."""
    return "out:%s:%s" % (account_id, provider_id)


class LivechatMessage(models.Model):
    _inherit = "livechat.message"

    channel = fields.Selection(selection_add=CHANNELS)
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
            Website._email_reply(message)
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

    def _notify_delivery_failed(self):
        """Tell the session's followers that this reply did not reach the
        customer (the workspace marks it with its reason)."""
        self._notify_delivery("livechat.delivery_failed")

    def _notify_delivery(self, kind):
        """Tell the session's followers where this reply's delivery stands:
        the workspace and the widget show it queued, sent or not delivered."""
        self.ensure_one()
        session = self.sudo().session_id
        values = session._bus_values()
        session._notify_staff(
            kind,
            values=values,
            message_values={
                "id": self.id,
                "state": self.delivery_state,
                "error": self.delivery_error,
            },
            audience=session._audience(values),
        )

    @api.model
    def _delivery_failed_later(self, chat, account, provider_id, error):
        """A provider reports, after accepting it, that the reply of live
        chat ``chat`` it knows as ``provider_id`` to ``account`` never
        reached the customer: mark it failed with the reason and tell the
        operators. Returns the message, or an empty recordset when there is
        no such sent reply (another chat's, or reported already)."""
        return self._delivery_reported(chat, account, provider_id, "failed", error)

    @api.model
    def _delivered_later(self, chat, account, provider_id):
        """A provider reports that a sent reply reached the customer's
        device (WhatsApp's "delivered" and "read"): the conversation shows
        it delivered. Returns the message, or an empty recordset."""
        return self._delivery_reported(chat, account, provider_id, "delivered")

    def _delivery_reported(self, chat, account, provider_id, state, error=None):
        """Move a sent reply to ``state`` as its provider reports it, and
        tell the session's followers.

        Settled by one conditional UPDATE on a reply still marked sent: the
        same report arriving twice, or on two workers at once, marks and
        notifies once, and a late "delivered" never hides a failure.
        """
        self.env.cr.execute(
            """UPDATE livechat_message
               SET delivery_state = %s, delivery_error = %s,
                   write_date = now() AT TIME ZONE 'UTC'
               WHERE channel = %s AND external_id = %s AND direction = 'out'
                 AND delivery_state = 'sent'
                 AND session_id IN (SELECT id FROM livechat_session
                                    WHERE entry_chat_id = %s AND account_id = %s)
               RETURNING id""",
            (
                state,
                error,
                account.channel,
                outbound_key(account.id, provider_id),
                chat.id,
                account.id,
            ),
        )
        message = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        message.invalidate_cache(["delivery_state", "delivery_error"], message.ids)
        for reported in message:
            reported._notify_delivery("livechat.delivery_%s" % state)
        return message

    @job(default_channel=JOB_CHANNEL, retry_pattern=RETRY_PATTERN)
    @api.multi
    def _deliver_job(self):
        """Send this reply through its chat's connector (a queue job)."""
        self.ensure_one()
        message = self.sudo().exists()
        if not message:
            # Deleted before it left: the customer was erased.
            return "Nothing to do: the reply was deleted."
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
            message.channel, message.session_id._way_in()
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
            message._notify_delivery_failed()
            return "Refused by the provider: %s" % error
        message.write(
            {
                "delivery_state": "sent",
                "delivery_error": False,
                "external_id": outbound_key(
                    message.session_id.account_id.id, provider_id or message.id
                ),
            }
        )
        message._notify_delivery("livechat.delivery_sent")
        return "Sent (%s)." % provider_id
