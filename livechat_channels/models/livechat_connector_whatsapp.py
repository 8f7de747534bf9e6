# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import secrets

from odoo import _, fields, models

from ..engine import delivery, whatsapp

#: WhatsApp's customer service window: a business may send free text only
#: this long after the customer's last message; outside it, only an
#: approved message template.
SERVICE_WINDOW = datetime.timedelta(hours=24)


class LivechatConnectorWhatsapp(models.Model):
    """A WhatsApp Business phone number (Cloud API) answering for one live
    chat. Meta's webhook is set in the app's dashboard with the address and
    verify token shown on the connector."""

    _name = "livechat.connector.whatsapp"
    _inherit = "livechat.connector"
    _description = "Live Chat WhatsApp Number"
    _channel = "whatsapp"
    _secret_fields = ("webhook_key", "access_token", "app_secret", "verify_token")

    phone_number_id = fields.Char(
        "Phone Number ID",
        required=True,
        help="The number's id in Meta's WhatsApp Manager (not the number).",
    )
    access_token = fields.Char(
        required=True,
        groups="livechat_sessions.group_livechat_manager",
        help="A system user's permanent token with whatsapp_business_messaging.",
    )
    app_secret = fields.Char(
        required=True,
        groups="livechat_sessions.group_livechat_manager",
        help="The Meta app's secret: every notification is signed with it "
        "(X-Hub-Signature-256) and unsigned ones are refused.",
    )
    verify_token = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(16),
        groups="livechat_sessions.group_livechat_manager",
        help="Type it in Meta's webhook settings with the callback URL.",
    )
    public_number = fields.Char(
        readonly=True,
        help="Filled in by Test: the number customers write to "
        "(the website chat offers it as a wa.me link).",
    )
    template_name = fields.Char(
        help="An approved message template sent when an operator starts a "
        "conversation: WhatsApp lets a business write first only with one."
    )
    template_language = fields.Char(default="en_US")

    def _default_api_url(self):
        return whatsapp.DEFAULT_API_URL

    def _webhook_path(self):
        return "/livechat/whatsapp/%s" % (self.webhook_key or "")

    def _api(self):
        connector = self.sudo()
        return whatsapp.CloudApi(
            connector.api_url, connector.access_token, connector.phone_number_id
        )

    def _provider_test(self):
        number = self._api().phone_number() or {}
        self.public_number = number.get("display_phone_number")
        return (
            number.get("display_phone_number")
            or number.get("verified_name")
            or self.phone_number_id
        )

    def _provider_connect(self):
        self._provider_test()

    def _provider_disconnect(self):
        return None

    def _provider_deliver(self, message, account, text):
        api = self._api()
        if message.whatsapp_template:
            return api.send_template(
                account.external_id,
                message.whatsapp_template,
                self.template_language or "en_US",
            )
        if not self._window_open(account):
            # Replies are refused outside the window before they are stored
            # (livechat.session); this one waited in the queue past its end.
            raise delivery.Rejected(
                _(
                    "The customer's last WhatsApp message is more than 24 hours "
                    "old: WhatsApp accepts only an approved template now."
                )
            )
        return self._send_text_and_files(api, account.external_id, message, text)

    def _provider_ask_rating(self, message, account, text, buttons):
        if not self._window_open(account):
            raise delivery.Rejected(
                _(
                    "The customer's 24-hour WhatsApp window closed before the rating "
                    "question left."
                )
            )
        return self._api().send_buttons(account.external_id, text, buttons)

    def _window_open(self, account):
        """Whether ``account`` wrote in the last 24 hours (provider time)."""
        self.env.cr.execute(
            # Through the account's sessions: both joins are on indexes.
            """SELECT max(m.date) FROM livechat_message m
               JOIN livechat_session s ON s.id = m.session_id
               WHERE s.account_id = %s AND m.direction = 'in'""",
            (account.id,),
        )
        last = self.env.cr.fetchone()[0]
        since = datetime.datetime.utcnow() - SERVICE_WINDOW
        return bool(last) and fields.Datetime.from_string(last) > since

    def _check_signature(self, raw_body, header):
        return whatsapp.check_signature(self.sudo().app_secret, raw_body, header)

    def _ingest_notification(self, payload):
        """The customer messages of one notification through the way in,
        and the failures Meta reports for replies it had accepted; returns
        the stored messages' ids (one per message, duplicates included:
        they answer with the stored one).

        :raises whatsapp.PayloadError: not a Cloud API notification
        :raises delivery.RetryLater: a media file could not be downloaded
            yet; the webhook answers 5xx and Meta sends it again
        """
        api = self._api()
        # Both parsed before anything is written: a malformed part refuses
        # the whole notification.
        items = whatsapp.parse_notification(payload, self.phone_number_id)
        reports = whatsapp.parse_statuses(payload, self.phone_number_id)
        ids = []
        for item in items:
            if "button" in item:
                # Meta shows the customer the button they pressed; nothing
                # more to tell them.
                self._rate_from_button(item["account"]["external_id"], item["button"])
                continue
            attachments = []
            if item["media"]:
                attachments.append(
                    {
                        "name": item["media"]["name"],
                        "mimetype": item["media"]["mimetype"],
                        "datas": api.download(item["media"]["id"]),
                    }
                )
            ids.append(
                self._receive(
                    item["account"],
                    item["body"],
                    item["id"],
                    date=item["date"],
                    attachments=attachments,
                )
            )
        self._record_reports(reports)
        return ids

    def _record_reports(self, reports):
        """What Meta reports of replies it had accepted (as
        :func:`whatsapp.parse_statuses` gives them): a failed one is marked
        with Meta's reason, a delivered or read one as delivered, and the
        operators see it live."""
        Account = self.env["livechat.account"].sudo()
        Message = self.env["livechat.message"].sudo()
        for report in reports:
            account = Account.search(
                [
                    ("channel", "=", self._channel),
                    ("external_id", "=", report["recipient"]),
                ],
                limit=1,
            )
            if not account:
                continue
            if report["state"] == "failed":
                Message._delivery_failed_later(
                    self.chat_id, account, report["id"], report["error"]
                )
            else:
                Message._delivered_later(self.chat_id, account, report["id"])
