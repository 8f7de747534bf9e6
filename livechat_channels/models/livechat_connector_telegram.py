# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

import logging
import secrets

from odoo import api, fields, models

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from ..engine import delivery, telegram
from .livechat_message import JOB_CHANNEL

_logger = logging.getLogger(__name__)


class LivechatConnectorTelegram(models.Model):
    """A Telegram bot answering for one live chat."""

    _name = "livechat.connector.telegram"
    _inherit = "livechat.connector"
    _description = "Live Chat Telegram Bot"
    _channel = "telegram"
    _secret_fields = ("webhook_key", "bot_token", "webhook_secret")

    bot_token = fields.Char(
        required=True,
        groups="livechat_sessions.group_livechat_manager",
        help="The token @BotFather gave for the bot.",
    )
    bot_username = fields.Char(
        readonly=True,
        help="Filled in by Test: customers find the bot as " "t.me/<username>.",
    )
    # Telegram sends it back in a header with every update. Not the
    # webhook's address key: addresses are logged (Odoo logs every request
    # line), so whoever read a log could forge updates. No field default:
    # Odoo 11 would give every existing bot the same one when the column is
    # added; create and init set one per bot.
    webhook_secret = fields.Char(
        readonly=True,
        copy=False,
        groups="livechat_sessions.group_livechat_manager",
        help="Given to Telegram with the webhook; each update must carry it.",
    )
    fetch_avatars = fields.Boolean(
        "Fetch Profile Photos",
        default=True,
        help="New customers get their Telegram profile photo as avatar.",
    )

    @api.model_cr
    def init(self):
        # Bots made before the secret existed get one of their own; those
        # connected are registered again with it (post-migration).
        self.env.cr.execute(
            """UPDATE livechat_connector_telegram
               SET webhook_secret = replace(gen_random_uuid()::text
                                            || gen_random_uuid()::text, '-', '')
               WHERE webhook_secret IS NULL"""
        )

    @api.model
    def create(self, vals):
        vals = dict(vals, webhook_secret=secrets.token_urlsafe(32))
        return super(LivechatConnectorTelegram, self).create(vals)

    def _default_api_url(self):
        return telegram.DEFAULT_API_URL

    def _webhook_path(self):
        return "/livechat/telegram/%s" % (self.webhook_key or "")

    def _api(self):
        return telegram.BotApi(self.api_url, self.sudo().bot_token)

    def _provider_test(self):
        me = self._api().get_me() or {}
        self.bot_username = me.get("username")
        return "@%s" % me.get("username")

    def _provider_connect(self):
        self._provider_test()
        self._api().set_webhook(self.sudo().webhook_url, self.sudo().webhook_secret)

    @job(default_channel=JOB_CHANNEL)
    def _register_webhook_job(self):
        """Give Telegram the bot's webhook (address and secret) again: after
        an upgrade gave the bot a secret of its own."""
        self.ensure_one()
        try:
            self._provider_connect()
        except delivery.RetryLater as error:
            self._record_error(str(error))
            raise RetryableJobError(self._scrub(error), seconds=60)
        except delivery.Rejected as error:
            self._record_error("Connect the bot again: %s" % error)
            return "Refused: %s" % self._scrub(error)
        return "Webhook registered."

    @job(default_channel=JOB_CHANNEL)
    def _typing_job(self, chat_id):
        """Show "typing…" in the customer's Telegram chat (an operator is
        writing a reply; Telegram shows it for 5 seconds or until the
        message arrives). A hint: never retried."""
        self.ensure_one()
        try:
            self._api().send_chat_action(chat_id, "typing")
        except (delivery.RetryLater, delivery.Rejected) as error:
            return "Not shown: %s" % self._scrub(error)
        return "Shown."

    def _provider_disconnect(self):
        self._api().delete_webhook()

    def _provider_deliver(self, message, account, text):
        sent = self._send_text_and_files(
            self._api(), account.external_id, message, text
        )
        return str((sent or {}).get("message_id") or "")

    def _provider_ask_rating(self, message, account, text, buttons):
        sent = self._api().send_buttons(account.external_id, text, buttons)
        return str((sent or {}).get("message_id") or "")

    def _ingest_update(self, update):
        """One webhook update through the way in. Returns the stored message
        id, or None for an update without a customer message (a rating
        button pressed is recorded, and answered once committed).

        :raises telegram.PayloadError: not a Telegram update
        :raises delivery.RetryLater: a file could not be downloaded yet; the
            webhook answers 5xx and Telegram sends the update again
        """
        callback = telegram.parse_callback(update)
        if callback:
            said = self._rate_from_button(callback["user_id"], callback["data"])
            api = self._api()

            def answer():
                try:
                    api.answer_callback(callback["id"], said)
                except (delivery.RetryLater, delivery.Rejected) as error:
                    # A notice only: the rating is stored.
                    _logger.info("Rating button not answered: %s", self._scrub(error))

            self.env.cr.after("commit", answer)
            return None
        parsed = telegram.parse_update(update)
        if not parsed:
            return None
        api = self._api()
        attachments = [
            {
                "name": item["name"],
                "mimetype": item["mimetype"],
                "datas": api.download(item["file_id"]),
            }
            for item in parsed["files"]
        ]
        # update_id is the bot's own sequence: unique per bot, so the key
        # carries the connector.
        external_id = "%d:%d" % (self.id, parsed["update_id"])
        return self._receive(
            parsed["account"],
            parsed["body"],
            external_id,
            date=parsed["date"],
            attachments=attachments,
            fetch_avatar=self.fetch_avatars,
        )

    def _fetch_avatar(self, account):
        return self._api().profile_photo(account.external_id)
