# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import email.utils
import hmac
import itertools
import logging
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, html_escape

from odoo.addons.livechat_sessions.engine import rating
from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import delivery, mail, oauth

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
    _secret_fields = (
        "webhook_key",
        "imap_password",
        "smtp_password",
        "oauth_client_secret",
    )
    #: Where the provider sends the administrator back after consent.
    _oauth_path = "/livechat/email/oauth"

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
    auth_method = fields.Selection(
        [("password", "Password"), ("oauth2", "OAuth 2.0")],
        "Sign In With",
        default="password",
        required=True,
        help="OAuth 2.0 for Gmail and Microsoft 365, which take no password "
        "over IMAP and SMTP: an administrator authorises the mailbox once, "
        "the tokens are renewed before they expire.",
    )
    oauth_client_id = fields.Char("Client ID")
    oauth_client_secret = fields.Char(
        "Client Secret", groups="livechat_sessions.group_livechat_manager"
    )
    oauth_authorize_url = fields.Char("Authorization Endpoint")
    oauth_token_url = fields.Char("Token Endpoint")
    oauth_scope = fields.Char("Scopes")
    oauth_redirect_uri = fields.Char(
        "Redirect URI",
        compute="_compute_oauth_redirect_uri",
        help="Register this address with the application at the provider "
        "(Google Cloud console, Microsoft Entra).",
    )
    oauth_status = fields.Selection(
        [
            ("none", "Not authorised"),
            ("authorised", "Authorised"),
            ("revoked", "Access revoked: authorise again"),
        ],
        "Authorisation",
        compute="_compute_oauth_status",
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
        for key, value in oauth.PRESETS.get(self.preset, {}).items():
            self[key] = value
        if self.preset in oauth.PRESETS:
            self.auth_method = "oauth2"

    def _compute_oauth_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        for connector in self:
            connector.oauth_redirect_uri = (base or "").rstrip("/") + self._oauth_path

    def _compute_oauth_status(self):
        tokens = self.env["livechat.connector.email.token"].sudo()
        for connector in self:
            token = tokens.search([("connector_id", "=", connector.id)], limit=1)
            if token.revoked:
                connector.oauth_status = "revoked"
            elif token.refresh_token:
                connector.oauth_status = "authorised"
            else:
                connector.oauth_status = "none"

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

        def fetch(token):
            return mail.fetch_new(
                connector.imap_host,
                connector.imap_port,
                connector.imap_ssl,
                connector.imap_login,
                connector.imap_password,
                connector.imap_folder,
                last_uid,
                connector.uidvalidity,
                token=token,
            )

        if connector.auth_method != "oauth2":
            return fetch(None)
        messages = fetch(self._oauth_token_for_mailbox())
        try:
            # The generator signs in on its first item: refused there or not
            # at all.
            first = next(messages, None)
        except mail.LoginRefused:
            # The server may know of a revocation or an expiry before the
            # token's clock: one renewal, one more try.
            messages = fetch(self._oauth_token_for_mailbox(force=True))
            first = next(messages, None)
        return itertools.chain([first] if first else [], messages)

    def _oauth_token_for_mailbox(self, force=False):
        """The access token for IMAP, as :meth:`_oauth_token` raising
        mail.MailboxError (what fetching callers handle)."""
        try:
            return self._oauth_token(force=force)
        except delivery.RetryLater as error:
            raise mail.MailboxError(str(error))

    def _provider_connect(self):
        self._provider_test()

    def _provider_disconnect(self):
        return None

    def _provider_ask_rating(self, message, account, text, buttons):
        """The question, then one link per answer: each opens the rating
        page with that answer chosen (controllers/rating.py)."""
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        token = message.session_id.sudo().rating_token
        links = "\n".join(
            "%s: %s/livechat/rate/%s/%s"
            % (label, base.rstrip("/"), token, rating.parse_button(data)[1])
            for data, label in buttons
        )
        return self._provider_deliver(message, account, "%s\n\n%s" % (text, links))

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
        chat = message.session_id._way_in()
        subject = last_in.email_subject or chat.name
        sender = email.utils.formataddr((chat.name, connector.email_address))
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

        def send(token):
            mail.send(
                connector.smtp_host,
                connector.smtp_port,
                connector.smtp_security,
                # The mailbox signs in on both sides with OAuth.
                connector.smtp_login or (token and connector.imap_login),
                connector.smtp_password,
                built,
                token=token,
            )

        if connector.auth_method != "oauth2":
            send(None)
        else:
            token = self._oauth_token()
            try:
                send(token)
            except mail.LoginRefused:
                # Refused at sign-in, before the message: renewed once and
                # sent once.
                send(self._oauth_token(force=True))
        message.write(
            {"email_message_id": message_id, "email_subject": str(built["Subject"])}
        )
        return message_id

    # OAuth 2.0 ------------------------------------------------------------------

    @api.multi
    def action_oauth_authorize(self):
        """Send the administrator to the provider's consent page; the
        provider sends them back to :meth:`_oauth_finish` with a code."""
        self.ensure_one()
        self._check_manage()
        connector = self.sudo()
        missing = [
            connector._fields[name].string
            for name in (
                "oauth_client_id",
                "oauth_client_secret",
                "oauth_authorize_url",
                "oauth_token_url",
            )
            if not connector[name]
        ]
        if missing:
            raise UserError(
                _("Fill in %s before authorising the mailbox.") % ", ".join(missing)
            )
        nonce = secrets.token_urlsafe(32)
        self.env["livechat.connector.email.token"]._for(self).write({"nonce": nonce})
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": oauth.authorization_url(
                connector.oauth_authorize_url,
                connector.oauth_client_id,
                connector.oauth_redirect_uri,
                connector.oauth_scope or "",
                "%d.%s" % (self.id, nonce),
                connector.imap_login,
            ),
        }

    @api.model
    def _oauth_finish(self, state, code=None, error=None):
        """The provider's answer to a consent (the redirect URI's route):
        store the tokens, or the refusal as the inbox's last error. Returns
        the inbox. Only a live chat administrator's own consent counts: the
        ``state`` must be the one-use value :meth:`action_oauth_authorize`
        gave the browser.

        :raises AccessError: an unknown, used or forged ``state``, or a
            caller who may not manage the inbox
        """
        connector_id, _dot, nonce = (state or "").partition(".")
        valid_id = connector_id.isdigit() and len(connector_id) < 10
        connector = self.browse(int(connector_id) if valid_id else 0)
        if not connector.exists():
            raise AccessError(_("This authorisation is unknown or already used."))
        connector._check_manage()
        token = self.env["livechat.connector.email.token"]._for(connector)
        if not nonce or not token.nonce or not hmac.compare_digest(nonce, token.nonce):
            raise AccessError(_("This authorisation is unknown or already used."))
        token.nonce = False
        if error or not code:
            # The provider's words, as its redirect carried them: short.
            connector._record_error(
                _("The provider did not authorise the mailbox: %s")
                % (error or "")[:200]
            )
            return connector
        settings = connector.sudo()
        try:
            tokens = oauth.exchange_code(
                settings.oauth_token_url,
                settings.oauth_client_id,
                settings.oauth_client_secret,
                code,
                settings.oauth_redirect_uri,
            )
        except (oauth.Revoked, delivery.RetryLater) as failure:
            connector._record_error(
                _("The provider refused the authorisation: %s") % failure
            )
            return connector
        if not tokens["refresh_token"]:
            connector._record_error(
                _(
                    "The provider gave no refresh token: the mailbox would stop "
                    "working within the hour. Check that the application may "
                    "ask for offline access."
                )
            )
            return connector
        token.write(dict(tokens, revoked=False))
        connector.sudo().write({"last_error": False})
        return connector

    def _oauth_token(self, force=False):
        """A valid access token, renewed when needed. A revocation found now
        is recorded and told to the chat's supervisors and the live chat
        administrators, once.

        :raises delivery.RetryLater: revoked (waits for consent) or the
            provider unreachable
        """
        self.ensure_one()
        tokens = self.env["livechat.connector.email.token"]
        try:
            return tokens._valid_access_token(self, force=force)
        except oauth.Revoked as error:
            reason = _(
                "%s is no longer authorised (%s): a live chat administrator "
                "must authorise it again."
            ) % (self.sudo().email_address, self._scrub(error))
            if getattr(error, "just_now", False):
                self._record_error(reason)
                # Committed on its own: the job or the fetch that met the
                # revocation is rolled back, and nobody else will meet it
                # "just now".
                connector_id = self.id
                run_with_retry(
                    self.env.registry,
                    lambda env: env[self._name].browse(connector_id)._tell_revoked(),
                )
            raise mail.LoginRefused(reason)

    def _tell_revoked(self):
        """An Inbox notice to whoever must know the mailbox stopped: the
        chat's supervisors and the live chat administrators."""
        connector = self.sudo()
        users = connector.chat_id.supervisor_group_ids.mapped("users") | self.env.ref(
            "livechat_sessions.group_livechat_manager"
        ).users.filtered("active")
        if not users:
            return
        self.env["mail.message"].sudo().create(
            {
                "model": self._name,
                "res_id": self.id,
                "record_name": connector.name,
                "message_type": "notification",
                "subject": connector.chat_id.name,
                "email_from": connector.chat_id.name,
                "body": "<p>%s</p>"
                % html_escape(
                    _(
                        "The mailbox %s of %s stopped: the provider revoked our "
                        "access. New emails wait in the mailbox and replies "
                        "wait in the queue until a live chat administrator "
                        "authorises it again (Live Chats > Configuration > "
                        "Connectors)."
                    )
                    % (connector.email_address, connector.chat_id.name)
                ),
                "needaction_partner_ids": [(6, 0, users.mapped("partner_id").ids)],
            }
        )

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
            if message is not None and message.session_id._way_in().id == chat_id:
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
