# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import email.utils
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import mail

_logger = logging.getLogger(__name__)


def email_key(connector_id, message_id):
    """The way in's idempotency key of an email: its Message-Id within one
    inbox, or None without one."""
    return message_id and "%d:%s" % (connector_id, message_id)


class LivechatConnectorEmail(models.Model):
    """An email inbox answering for one live chat: new emails open sessions,
    replies go out by SMTP in the same thread."""

    _name = "livechat.connector.email"
    _inherit = "livechat.connector"
    _description = "Live Chat Email Inbox"
    _channel = "email"
    _secret_fields = ("webhook_key", "imap_password", "smtp_password")

    api_url = fields.Char(required=False, default=False)
    email_address = fields.Char(
        "Inbox Address",
        required=True,
        help="Customers write here; replies come " "from it.",
    )
    preset = fields.Selection(
        [
            ("custom", "Other server"),
            ("gmail", "Gmail"),
            ("outlook", "Outlook.com"),
            ("office365", "Office 365"),
        ],
        default="custom",
        required=True,
    )
    imap_host = fields.Char("IMAP Server", required=True)
    imap_port = fields.Integer("IMAP Port", default=993, required=True)
    imap_ssl = fields.Boolean("IMAP over SSL", default=True)
    imap_login = fields.Char("IMAP Login", required=True)
    imap_password = fields.Char(
        "IMAP Password", groups="livechat_sessions.group_livechat_manager"
    )
    imap_folder = fields.Char("Folder", default="INBOX", required=True)
    smtp_host = fields.Char("SMTP Server", required=True)
    smtp_port = fields.Integer("SMTP Port", default=587, required=True)
    smtp_security = fields.Selection(
        [("none", "None"), ("starttls", "STARTTLS"), ("ssl", "SSL/TLS")],
        "SMTP Security",
        default="starttls",
        required=True,
    )
    smtp_login = fields.Char("SMTP Login")
    smtp_password = fields.Char(
        "SMTP Password", groups="livechat_sessions.group_livechat_manager"
    )
    last_uid = fields.Integer(
        "Last UID",
        readonly=True,
        copy=False,
        help="The mailbox's last message taken in; the next fetch starts after it.",
    )
    uidvalidity = fields.Integer("UIDVALIDITY", readonly=True, copy=False)

    @api.onchange("preset")
    def _onchange_preset(self):
        for key, value in mail.PRESETS.get(self.preset, {}).items():
            self[key] = value

    def _webhook_path(self):
        return ""

    # Provider API --------------------------------------------------------------

    def _provider_test(self):
        connector = self.sudo()
        # Reading the mailbox proves the IMAP side; the SMTP side is proven
        # by the first reply (a test email would reach a real person).
        try:
            list(connector._fetch_new(10**9))
        except mail.MailboxError as error:
            raise UserError(_("The mailbox answered: %s") % self._scrub(error))
        return connector.email_address

    def _fetch_new(self, last_uid):
        connector = self.sudo()
        return mail.fetch_new(
            connector.imap_host,
            connector.imap_port,
            connector.imap_ssl,
            connector.imap_login,
            connector.imap_password,
            connector.imap_folder,
            last_uid,
            connector.uidvalidity,
        )

    def _provider_connect(self):
        self._provider_test()

    def _provider_disconnect(self):
        return None

    def _provider_deliver(self, message, account, text):
        connector = self.sudo()
        Message = self.env["livechat.message"].sudo()
        thread = Message.search(
            [
                ("session_id", "=", message.session_id.id),
                ("email_message_id", "!=", False),
            ],
            order="date, id",
        )
        last_in = thread.filtered(lambda m: m.direction == "in")[-1:]
        subject = last_in.email_subject or message.session_id.chat_id.name
        sender = email.utils.formataddr(
            (message.session_id.chat_id.name, connector.email_address)
        )
        attachments = [
            (a.datas_fname or a.name, base64.b64decode(a.datas or b""), a.mimetype)
            for a in message.attachment_ids.sudo()
        ]
        built, message_id = mail.build_reply(
            sender,
            account.external_id,
            subject,
            text,
            in_reply_to=last_in.email_message_id,
            references=thread.mapped("email_message_id"),
            attachments=attachments,
            domain=connector.email_address.partition("@")[2] or "localhost",
        )
        mail.send(
            connector.smtp_host,
            connector.smtp_port,
            connector.smtp_security,
            connector.smtp_login,
            connector.smtp_password,
            built,
        )
        message.write(
            {"email_message_id": message_id, "email_subject": str(built["Subject"])}
        )
        return message_id

    # Fetching -------------------------------------------------------------------

    @api.multi
    def action_fetch(self):
        """Fetch now (the button); the cron does the same every minute."""
        self._check_manage()
        for connector in self:
            try:
                connector._fetch()
            except mail.MailboxError as error:
                connector._record_error(str(error))
                raise UserError(_("The mailbox answered: %s") % connector._scrub(error))
        return True

    @api.model
    def _cron_fetch(self):
        for connector in self.search([("state", "=", "connected")]):
            try:
                connector._fetch()
            except mail.MailboxError as error:
                connector._record_error(str(error))

    def _fetch(self):
        """Take the new emails in, each in its own transaction with the UID
        it came from: a fetch stopped halfway goes on where it stopped, and
        an email taken twice is stored once (its Message-Id)."""
        self.ensure_one()
        connector = self.sudo()
        count = 0
        for uidvalidity, uid, raw in connector._fetch_new(connector.last_uid):
            self._take(uidvalidity, uid, raw)
            count += 1
        return count

    def _take(self, uidvalidity, uid, raw):
        parsed = mail.parse(raw)
        connector_id = self.id
        chat_id = self.sudo().chat_id.id

        def remember_uid(env, message=None):
            env.cr.execute(
                """UPDATE livechat_connector_email SET last_uid = %s, uidvalidity = %s
                   WHERE id = %s""",
                (uid, uidvalidity, connector_id),
            )
            # A duplicate answers with the message stored before, which is
            # this inbox's own (its key carries the connector): never
            # another chat's, whatever Message-Id the sender made up.
            if message is not None and message.session_id.chat_id.id == chat_id:
                message.write(
                    {
                        "email_message_id": parsed["message_id"] or False,
                        "email_subject": parsed["subject"] or False,
                    }
                )
                account = message.author_account_id
                if not account.email:
                    account.email = parsed["address"]

        body = parsed["body"]
        if parsed["body_type"] == "html":
            body = html2plaintext(body)
        # The Message-Id is the sender's to choose: deduplicated within
        # this inbox only, so a crafted one cannot drop or rewrite another
        # chat's email.
        external_id = email_key(self.id, parsed["message_id"]) or "imap:%d:%d:%d" % (
            self.id,
            uidvalidity,
            uid,
        )
        if parsed["address"]:
            try:
                # One transaction per email, with the UID it came from.
                return run_with_retry(
                    self.env.registry,
                    lambda env: env[self._name]
                    .sudo()
                    .browse(connector_id)
                    ._receive(
                        {"external_id": parsed["address"], "name": parsed["name"]},
                        mail.clip(body),
                        external_id,
                        date=parsed["date"],
                        attachments=parsed["attachments"],
                        after=remember_uid,
                    ),
                )
            except Exception as error:  # pylint: disable=broad-except
                # One email the way in refuses must not stop the mailbox:
                # it is logged and skipped.
                _logger.warning(
                    "Email %s (UID %s) refused: %s", external_id, uid, error
                )
                self._record_error("Email %s refused: %s" % (external_id, error))
        run_with_retry(self.env.registry, remember_uid)
        return None
