# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from ..engine import delivery
from .livechat_chat import CHANNELS
from .livechat_message import JOB_CHANNEL


class LivechatAccount(models.Model):
    _inherit = "livechat.account"

    channel = fields.Selection(selection_add=CHANNELS)
    email = fields.Char(
        help="What the customer gave: a website visitor's email, an email "
        "sender's address."
    )
    avatar_fetch = fields.Selection(
        [("queued", "Queued"), ("done", "Done")],
        readonly=True,
        copy=False,
        help="Where fetching the customer's profile photo from the provider "
        "stands (once per account).",
    )

    @job(default_channel=JOB_CHANNEL)
    @api.multi
    def _fetch_avatar_job(self, connector_model, connector_id):
        """Fetch the customer's profile photo from the provider (a job:
        the webhook that created the account does not wait for it)."""
        self.ensure_one()
        account = self.sudo().exists()
        if not account.active:
            # Erased (or archived) since: its channel id is not the customer's.
            return "Nothing to do: the account is archived or erased."
        connector = self.env[connector_model].sudo().browse(connector_id).exists()
        image = None
        if connector:
            try:
                image = connector._fetch_avatar(account)
            except delivery.RetryLater as error:
                raise RetryableJobError(str(error), seconds=error.retry_after or None)
            except delivery.Rejected as error:
                # No photo, or the user hides it: nothing to retry.
                connector._record_error(str(error))
        values = {"avatar_fetch": "done"}
        if image and not account.image:
            values["image"] = image
        account.write(values)
        return "Photo found." if image else "No photo."

    # A customer's data on request (livechat_sessions' export and erasure):
    # what the channels store besides the messages.

    @api.model
    def _export_account(self, account):
        values = super(LivechatAccount, self)._export_account(account)
        values["email"] = account.email or None
        return values

    @api.model
    def _export_message(self, message):
        values = super(LivechatAccount, self)._export_message(message)
        if message.email_subject:
            values["email_subject"] = message.email_subject
        return values

    def _erase_more(self, account_ids, session_ids, reply_ids):
        cr = self.env.cr
        cr.execute(
            "UPDATE livechat_message SET email_subject = NULL, "
            "email_message_id = NULL WHERE id IN %s",
            (reply_ids,),
        )
        cr.execute(
            "UPDATE livechat_account SET email = NULL, avatar_fetch = 'done' "
            "WHERE id IN %s",
            (account_ids,),
        )
        # Replies written for them and not sent yet: their jobs find nothing.
        cr.execute(
            "DELETE FROM livechat_scheduled_reply WHERE session_id IN %s",
            (session_ids,),
        )
        return super(LivechatAccount, self)._erase_more(
            account_ids, session_ids, reply_ids
        )
