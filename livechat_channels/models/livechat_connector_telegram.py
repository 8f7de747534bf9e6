# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import fields, models

from ..engine import telegram


class LivechatConnectorTelegram(models.Model):
    """A Telegram bot answering for one live chat."""

    _name = "livechat.connector.telegram"
    _inherit = "livechat.connector"
    _description = "Live Chat Telegram Bot"
    _channel = "telegram"

    bot_token = fields.Char(
        required=True,
        groups="livechat_sessions.group_livechat_manager",
        help="The token @BotFather gave for the bot.",
    )
    bot_username = fields.Char(
        readonly=True,
        help="Filled in by Test: customers find the bot as " "t.me/<username>.",
    )
    fetch_avatars = fields.Boolean(
        "Fetch Profile Photos",
        default=True,
        help="New customers get their Telegram profile photo as avatar.",
    )

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
        self._api().set_webhook(self.sudo().webhook_url, self.sudo().webhook_key)

    def _provider_disconnect(self):
        self._api().delete_webhook()

    def _provider_deliver(self, message, account, text):
        sent = self._send_text_and_files(
            self._api(), account.external_id, message, text
        )
        return str((sent or {}).get("message_id") or "")

    def _ingest_update(self, update):
        """One webhook update through the way in. Returns the stored message
        id, or None for an update without a customer message.

        :raises telegram.PayloadError: not a Telegram update
        :raises delivery.RetryLater: a file could not be downloaded yet; the
            webhook answers 5xx and Telegram sends the update again
        """
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
