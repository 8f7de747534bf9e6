# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

import psycopg2

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from ..tools import cache
from .livechat_chat import CHANNELS

_logger = logging.getLogger(__name__)

#: Locks the account ``%(channel)s``/``%(external_id)s`` (see
#: :meth:`LivechatAccount._lock` for why an UPDATE) and returns its id,
#: name and contact. The way in runs it inside its own first statement.
LOCK_QUERY = """UPDATE livechat_account
                SET last_message_date = now() AT TIME ZONE 'UTC'
                WHERE channel = %(channel)s AND external_id = %(external_id)s
                RETURNING id, name, partner_id"""


#: Who the customer is. The way in finds a customer's account by
#: (channel, external id), and the employees' chat trusts ``user_id``:
#: whoever could change them could read another customer's conversation or
#: redirect the replies meant for them. Set by the channels (as superuser),
#: or once when staff create an account; never written by a client.
IDENTITY_FIELDS = frozenset(("channel", "external_id", "user_id"))


class LivechatAccount(models.Model):
    """One customer identity on one channel: a Telegram user, an email
    address, a website visitor, an employee. Operators bind it to a contact."""

    _name = "livechat.account"
    _description = "Live Chat Account"
    _order = "name, id"

    name = fields.Char(required=True, index=True)
    channel = fields.Selection(CHANNELS, required=True, index=True)
    external_id = fields.Char(
        required=True,
        help="The customer's id on the channel: a Telegram user id, an email "
        "address, a visitor token, an Odoo user id.",
    )
    image = fields.Binary("Avatar", attachment=True)
    partner_id = fields.Many2one(
        "res.partner", string="Contact", index=True, ondelete="set null"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Employee",
        ondelete="cascade",
        help="Set for the internal channel: the employee writing from Odoo.",
    )
    session_ids = fields.One2many("livechat.session", "account_id")
    last_message_date = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "channel_external_uniq",
            "unique(channel, external_id)",
            "An account with this id already exists on this channel.",
        )
    ]

    @api.model
    def create(self, vals):
        if self.env.uid != SUPERUSER_ID:
            # Only the channel creates the accounts of some channels: an
            # employee's (its id is the user's), a website visitor's (the
            # hash of a token).
            channel = self.env["livechat.chat"]._livechat_channel(vals.get("channel"))
            if vals.get("user_id") or channel.get("channel_accounts"):
                raise AccessError(
                    _(
                        "Employees' and website visitors' accounts are created by "
                        "their channel, not by hand."
                    )
                )
        return super(LivechatAccount, self).create(vals)

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID and IDENTITY_FIELDS & set(vals):
            raise AccessError(
                _(
                    "An account's channel, id and employee are set by its channel "
                    "and never change: create another account instead."
                )
            )
        return super(LivechatAccount, self).write(vals)

    @api.multi
    def name_get(self):
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return [
            (account.id, "%s (%s)" % (account.name, labels.get(account.channel)))
            for account in self
        ]

    @api.model
    def _lock(self, channel, external_id):
        """Return the account ``external_id`` on ``channel`` with its row
        locked until commit, or an empty recordset if there is none.

        The row is locked with an UPDATE (of ``last_message_date``), not a
        plain ``SELECT ... FOR UPDATE``: that serializes everything arriving
        at the same time from one customer (two webhooks, two workers), and
        under Odoo's REPEATABLE READ the second transaction then gets a
        serialization failure (40001) instead of working from a snapshot that
        misses the first one's session and message. The caller retries
        (:func:`..tools.transaction.run_with_retry`), and the retry sees them.
        """
        # A serialization failure here is the expected outcome of a race
        # (see above) and is retried by the caller: not an error to log.
        self.env.cr.execute(
            LOCK_QUERY,
            {"channel": channel, "external_id": external_id},
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return self.browse()
        return self._locked(row, channel, external_id)

    @api.model
    def _locked(self, row, channel, external_id):
        """The account of a row LOCK_QUERY returned, with what the row and
        the lock's key tell kept in the cache: the way in reads no more of
        the account (the session's name and the blocklist use these)."""
        account = self.browse(row[0])
        cache.keep(
            account,
            {
                "name": row[1],
                "partner_id": row[2],
                "channel": channel,
                "external_id": external_id,
            },
        )
        return account

    @api.model
    def _fields_of(self, model_name):
        """Names of the Account-type fields of ``model_name``: its relational
        fields to accounts (a contact's Accounts, a lead's, ...)."""
        return [
            name
            for name, field in self.env[model_name]._fields.items()
            if field.type in ("many2one", "one2many", "many2many")
            and field.comodel_name == self._name
        ]

    @api.model
    def _create_or_lock(self, channel, values):
        """Create the account ``values`` describe (``external_id``,
        ``name``, ``image``, ``partner_id``, ``user_id``), which the
        caller's :meth:`_lock` just found missing; if another transaction
        creates it at the same time, lock theirs instead.

        A row this transaction inserts is its own until the commit (a
        concurrent insert of the same id waits on the unique index, then
        fails), so it needs no lock of its own."""
        external_id = str(values.get("external_id") or "").strip()
        if not external_id:
            raise ValueError("The account needs an external id.")
        vals = {
            "channel": channel,
            "external_id": external_id,
            "name": (values.get("name") or "").strip() or external_id,
        }
        for key in ("image", "partner_id", "user_id"):
            if values.get(key):
                vals[key] = values[key]
        try:
            # A concurrent creation is expected here and handled below:
            # keep Odoo's "bad query" error for it out of the log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                account = self.sudo().create(vals)
            cache.keep(
                account,
                {
                    key: vals.get(key, False)
                    for key in ("channel", "external_id", "name", "partner_id")
                },
            )
            return account
        except psycopg2.IntegrityError:
            # Another transaction created it first (unique constraint).
            _logger.debug("Account %s/%s created concurrently", channel, external_id)
        account = self._lock(channel, external_id)
        if not account:
            # The other transaction committed after our snapshot was taken
            # (Odoo runs REPEATABLE READ), so its row stays invisible to us.
            # This statement makes PostgreSQL raise the genuine serialization
            # failure (40001) that Odoo's and queue_job's retry loops expect:
            # the caller runs again and finds the row.
            self.env.cr.execute(
                "INSERT INTO livechat_account (channel, external_id, name) "
                "VALUES (%s, %s, %s) ON CONFLICT (channel, external_id) "
                "DO NOTHING",
                (channel, external_id, vals["name"]),
                log_exceptions=False,
            )
            account = self._lock(channel, external_id)
        return account
