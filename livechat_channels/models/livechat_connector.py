# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every provider connector shares: the live chat it feeds, its health,
the way in for its webhooks and the delivery queue for replies.

One provider = one small model inheriting ``livechat.connector`` and
implementing ``_provider_test``, ``_provider_connect``,
``_provider_disconnect`` and ``_provider_deliver``.
"""

import base64
import logging
import secrets

import odoo
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.livechat_sessions.engine import rating
from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from ..engine import delivery
from .livechat_message import JOB_CHANNEL

_logger = logging.getLogger(__name__)


class LivechatConnector(models.AbstractModel):
    _name = "livechat.connector"
    _description = "Live Chat Connector"
    _order = "chat_id, id"

    #: The channel key of ``livechat.message`` this provider feeds.
    _channel = None
    #: Fields holding credentials: never shown in an error, a log line or a
    #: stored error (:meth:`_scrub`).
    _secret_fields = ("webhook_key",)

    name = fields.Char(required=True)
    chat_id = fields.Many2one(
        "livechat.chat",
        string="Live Chat",
        required=True,
        index=True,
        ondelete="cascade",
    )
    api_url = fields.Char(
        "API base URL",
        required=True,
        default=lambda self: self._default_api_url(),
        help="The provider's API. Change it only to go through a proxy or a "
        "server speaking the same protocol.",
    )
    state = fields.Selection(
        [("disconnected", "Disconnected"), ("connected", "Connected")],
        default="disconnected",
        required=True,
        readonly=True,
        copy=False,
    )
    webhook_key = fields.Char(
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(24),
        groups="livechat_sessions.group_livechat_manager",
        help="The secret part of the webhook address and the token the "
        "provider sends back with every update.",
    )
    webhook_url = fields.Char(
        compute="_compute_webhook_url",
        groups="livechat_sessions.group_livechat_manager",
    )
    # What a provider or a mail server answered: for administrators only
    # (it names hosts and accounts).
    last_error = fields.Text(
        readonly=True, copy=False, groups="livechat_sessions.group_livechat_manager"
    )
    last_error_date = fields.Datetime(
        readonly=True, copy=False, groups="livechat_sessions.group_livechat_manager"
    )
    last_check = fields.Char("Last Test", readonly=True, copy=False)
    last_check_date = fields.Datetime("Tested On", readonly=True, copy=False)
    last_received_date = fields.Datetime(
        "Last Message In", compute="_compute_last_dates"
    )
    last_sent_date = fields.Datetime("Last Message Out", compute="_compute_last_dates")
    queue_length = fields.Integer(
        compute="_compute_queue_length",
        help="Replies of this live chat waiting to go out on this channel.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("chat_uniq", "unique(chat_id)", "A live chat has one connector per provider."),
        ("webhook_key_uniq", "unique(webhook_key)", "Webhook keys are unique."),
    ]

    def _default_api_url(self):
        return ""

    def _webhook_path(self):
        raise NotImplementedError

    @api.depends("webhook_key")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for connector in self:
            connector.webhook_url = "%s%s" % (
                base.rstrip("/"),
                connector._webhook_path(),
            )

    def _compute_queue_length(self):
        if not self.ids:
            return
        self.env.cr.execute(
            """SELECT s.entry_chat_id, count(*) FROM livechat_message m
               JOIN livechat_session s ON s.id = m.session_id
               WHERE m.delivery_state = 'pending' AND m.channel = %s
                 AND s.entry_chat_id IN %s GROUP BY s.entry_chat_id""",
            (self._channel, tuple(self.mapped("chat_id").ids) or (0,)),
        )
        counts = dict(self.env.cr.fetchall())
        for connector in self:
            connector.queue_length = counts.get(connector.chat_id.id, 0)

    def _compute_last_dates(self):
        # Read from the messages: writing them on the connector's row would
        # make every webhook of one bot wait on that row.
        for connector in self:
            connector.env.cr.execute(
                """SELECT max(m.date) FILTER (WHERE m.direction = 'in'),
                          max(m.write_date) FILTER (WHERE m.direction = 'out'
                                                    AND m.delivery_state = 'sent')
                   FROM livechat_message m
                   JOIN livechat_session s ON s.id = m.session_id
                   WHERE s.entry_chat_id = %s AND m.channel = %s""",
                (connector.chat_id.id or 0, connector._channel),
            )
            connector.last_received_date, connector.last_sent_date = (
                connector.env.cr.fetchone()
            )

    @api.model
    def _for_webhook(self, key, connected=True):
        """The active (and connected) connector a webhook key designates
        (sudo), or an empty recordset. The key is long and random: only the
        provider it was given to knows the address."""
        if not key or len(key) > 64:
            return self.sudo().browse()
        domain = [("webhook_key", "=", key)]
        if connected:
            domain.append(("state", "=", "connected"))
        return self.sudo().search(domain, limit=1)

    @api.model
    def _model_for_channel(self, channel):
        """The connector model of ``channel``, or None (internal, website)."""
        for name in self.env.registry:
            model = self.env[name]
            # Connectors inherit livechat.connector and name their channel;
            # other models of the same prefix (an inbox's tokens) do not.
            if (
                name.startswith("livechat.connector.")
                and not model._abstract
                and getattr(model, "_channel", None) == channel
            ):
                return model
        return None

    @api.model
    def _connector_for(self, channel, chat):
        """The connector of ``chat`` on ``channel`` (sudo; may be empty)."""
        model = self._model_for_channel(channel)
        if model is None:
            return self.sudo().browse()
        return model.sudo().search([("chat_id", "=", chat.id)], limit=1)

    # Administration -------------------------------------------------------------

    def _check_manage(self):
        """Raise unless the caller may change these connectors (the live
        chat administrators): checked before anything calls the provider
        or a mail server with the stored credentials."""
        self.check_access_rights("write")
        self.check_access_rule("write")

    def _scrub(self, text):
        """``text`` without any of the connector's credentials."""
        text = str(text)
        connector = self.sudo()
        for name in self._secret_fields:
            value = connector[name] if name in connector._fields else None
            if value and len(value) >= 4:
                text = text.replace(value, "[hidden]")
        return text

    @api.multi
    def action_test(self):
        """Ask the provider who we are: a working token and address say so."""
        self.ensure_one()
        self._check_manage()
        try:
            answer = self._provider_test()
        except (delivery.RetryLater, delivery.Rejected) as error:
            self._record_error(str(error))
            raise UserError(_("The provider answered: %s") % self._scrub(error))
        self.write(
            {
                "last_check": _("Connection works: %s") % answer,
                "last_check_date": fields.Datetime.now(),
            }
        )
        return True

    @api.multi
    def action_connect(self):
        self._check_manage()
        for connector in self:
            try:
                connector._provider_connect()
            except (delivery.RetryLater, delivery.Rejected) as error:
                connector._record_error(str(error))
                raise UserError(
                    _("Could not connect %s: %s")
                    % (connector.name, connector._scrub(error))
                )
            connector.write({"state": "connected", "last_error": False})
        return True

    @api.multi
    def action_disconnect(self):
        # Checked first: the provider is told only once we know the caller
        # may disconnect.
        self._check_manage()
        for connector in self:
            try:
                connector._provider_disconnect()
            except (delivery.RetryLater, delivery.Rejected) as error:
                # Disconnecting is always possible on our side: webhooks are
                # refused from now on whatever the provider keeps sending.
                connector._record_error(str(error))
            connector.state = "disconnected"
        return True

    def _record_error(self, text):
        """Keep the provider's last error on the connector, in a transaction
        of its own: the job that met it is rolled back to retry."""
        text = self._scrub(text)
        _logger.warning("%s %s: %s", self._name, self.id, text)
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            cr.execute(
                "UPDATE %s SET last_error = %%s, "
                "last_error_date = now() AT TIME ZONE 'UTC' "
                "WHERE id = %%s" % self._table,
                (text, self.id),
            )

    # In -----------------------------------------------------------------------

    @api.model
    def _receive_for_chat(
        self,
        chat,
        channel,
        account,
        body,
        external_id,
        date=None,
        attachments=None,
        after=None,
    ):
        """Hand one customer message to the way in, in a transaction of its
        own, committed before the caller answers: an acknowledged message is
        in the database. ``after(env, message)`` runs in that transaction.
        Returns what ``after`` returned, or else the stored message's id.

        The caller's own transaction may have started before this one
        committed: under REPEATABLE READ it does not see the new message, so
        whatever needs the message is done in ``after``."""
        chat_id = chat.id

        def work(env):
            message = (
                env["livechat.chat"]
                .browse(chat_id)
                ._receive_message(
                    channel,
                    account,
                    body,
                    external_id=external_id,
                    attachments=attachments,
                    date=date,
                )
            )
            result = after(env, message) if after else None
            return message.id if result is None else result

        return run_with_retry(self.env.registry, work)

    def _receive(
        self,
        account,
        body,
        external_id,
        date=None,
        attachments=None,
        fetch_avatar=False,
        after=None,
    ):
        """A customer message of this connector through the way in, in the
        current transaction: callers run it in one of their own, committed
        before they answer (webhooks: the controller; email: one per email).

        ``fetch_avatar``: queue a job fetching the customer's profile photo
        the first time this account writes (the webhook does not wait for it).
        ``after(env, message)``: more work in the same transaction; what it
        returns is returned, else the stored message's id.

        Nothing here writes the connector's row: webhooks of one bot arriving
        together would all wait on it.
        """
        env = self.env
        message = self.chat_id._receive_message(
            self._channel,
            account,
            body,
            external_id=external_id,
            attachments=attachments,
            date=date,
        )
        if fetch_avatar:
            # Claimed by a conditional UPDATE: one job per account, even
            # when its first messages arrive at once on two workers.
            env.cr.execute(
                """UPDATE livechat_account SET avatar_fetch = 'queued'
                   WHERE id = %s AND avatar_fetch IS NULL RETURNING id""",
                (message.author_account_id.id,),
            )
            row = env.cr.fetchone()
            if row:
                env["livechat.account"].browse(row[0]).with_delay(
                    channel=JOB_CHANNEL,
                    max_retries=5,
                )._fetch_avatar_job(self._name, self.id)
        result = after(env, message) if after else None
        return message.id if result is None else result

    # Out ----------------------------------------------------------------------

    def _deliver(self, message):
        """Send one stored reply through the provider; returns the provider's
        message id. Raises delivery.RetryLater or delivery.Rejected."""
        text = html2plaintext(message.body or "").strip()
        session = message.session_id
        if message.is_rating_request:
            token = session.sudo().rating_token
            buttons = [
                (rating.button_data(token, value), label)
                for value, label in session._rating_labels()
            ]
            return self._provider_ask_rating(message, session.account_id, text, buttons)
        return self._provider_deliver(message, session.account_id, text)

    def _rate_from_button(self, external_id, data):
        """A customer of this connector (``external_id`` on its channel)
        pressed a rating button carrying ``data``: record it when the button
        is one of ours, for a session of this customer in this connector's
        chat. Returns what to tell the customer."""
        parsed = rating.parse_button(data)
        session = self.env["livechat.session"].sudo()
        if parsed:
            session = session.search([("rating_token", "=", parsed[0])], limit=1)
        account = session.account_id
        if (
            not parsed
            or not session
            or session.chat_id != self.chat_id
            or account.channel != self._channel
            or account.external_id != external_id
        ):
            return _("This button is not for you.")
        try:
            session._rate(parsed[1])
        except UserError as error:
            return error.name
        return _("Thank you! You rated: %s") % dict(session._rating_labels())[parsed[1]]

    @staticmethod
    def _send_text_and_files(api, to, message, text):
        """A messenger reply: the text, then each attachment, through a
        provider client with ``send_text(to, text)`` and
        ``send_file(to, name, content, mimetype)``; returns what the last
        call returned (the provider's message)."""
        sent = None
        if text:
            sent = api.send_text(to, text)
        for attachment in message.attachment_ids.sudo():
            sent = api.send_file(
                to,
                attachment.datas_fname or attachment.name,
                base64.b64decode(attachment.datas or b""),
                attachment.mimetype or "application/octet-stream",
            )
        return sent

    def _fetch_avatar(self, account):
        """The customer's profile photo (base64) from the provider, or None."""
        return None

    def _provider_test(self):
        raise NotImplementedError

    def _provider_connect(self):
        raise NotImplementedError

    def _provider_disconnect(self):
        raise NotImplementedError

    def _provider_deliver(self, message, account, text):
        raise NotImplementedError

    def _provider_ask_rating(self, message, account, text, buttons):
        """Send the question ``text`` asking ``account`` to rate their
        session, with its answers (``buttons``: a list of ``(data,
        label)``, best first); returns the provider's message id."""
        raise NotImplementedError
