# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Messages, and the one way in for every channel.

``livechat.chat._receive_message()`` (which calls :meth:`_receive` here) is
what every connector calls with what a customer wrote::

    provider payload ──connector──> _receive_message()
        1. validate: known chat and channel, body (engine.text)
        2. lock the account row (find or create it)       ─┐ settled by
        3. duplicate external id? return the stored one    │ PostgreSQL,
        4. find the open session or create a queued one   ─┘ per customer
        5. store the message, move the session's dates
        6. wake the operators over the bus (after commit)

It never commits: the caller's transaction (an HTTP request, a queue job)
decides, so a message is acknowledged only once it is in the database.
"""
import base64
import binascii
import collections
import datetime

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..engine import files, text
from .livechat_account import LOCK_QUERY
from .livechat_chat import CHANNELS

#: Largest attachment accepted from a channel (bytes, decoded).
MAX_ATTACHMENT_SIZE = 25 * 1024 * 1024
#: What the conversation shows of a message's file.
ATTACHMENT_FIELDS = ["name", "datas_fname", "mimetype", "file_size"]

#: What the way in's first statement finds (:meth:`LivechatMessage._look_up`):
#: the customer's account (if any), whether the chat is active, the open
#: session they started through it (if any) and the chat that session is in
#: now (another one once a supervisor moved it), whether that chat starts
#: processes on messages, and the id of a message already stored with the
#: same external id.
Found = collections.namedtuple(
    "Found",
    [
        "account_id",
        "account_name",
        "partner_id",
        "chat_active",
        "session_id",
        "session_chat_id",
        "session_name",
        "session_state",
        "is_spam",
        "operator_id",
        "group_id",
        "has_processes",
        "duplicate_id",
    ],
)

#: A session's dates widened to a message's (``%(date)s``): a provider may
#: deliver out of order, so they only ever widen. The way in runs it inside
#: its one statement, replies on their own.
WIDEN_SESSION_DATES = """UPDATE livechat_session
    SET last_message_date = GREATEST(last_message_date, %(date)s),
        first_message_date = LEAST(COALESCE(first_message_date, %(date)s),
                                   %(date)s)
    WHERE id = %(session)s"""


#: Longest body a bus payload carries (characters). Every open screen of a
#: chat's team gets a row of its own with the payload: a longer message
#: (an email, a pasted log) is announced without its body, and the screens
#: that show its conversation read it (not ``complete``).
BUS_BODY_LIMIT = 4000


class LivechatMessage(models.Model):
    _name = "livechat.message"
    _description = "Live Chat Message"
    _order = "date, id"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade"
    )
    chat_id = fields.Many2one(
        "livechat.chat", related="session_id.chat_id", readonly=True
    )
    channel = fields.Selection(CHANNELS, required=True)
    direction = fields.Selection(
        [
            ("in", "From the customer"),
            ("out", "From an operator"),
            # Staff only: never delivered, never shown to the customer.
            ("note", "Internal note"),
        ],
        required=True,
    )
    author_user_id = fields.Many2one("res.users", string="Operator", index=True)
    author_account_id = fields.Many2one("livechat.account", string="Customer")
    author_name = fields.Char(compute="_compute_author_name")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    # Stored already sanitized by engine.text (every write goes through
    # _receive or _post_reply: create and write are refused to users), so
    # the field does not sanitize a second time on every customer message.
    body = fields.Html(required=True, sanitize=False)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "livechat_message_attachment_rel",
        "message_id",
        "attachment_id",
        string="Attachments",
    )
    # Indexed: deleting a message looks up the messages quoting it (the
    # foreign key's ON DELETE); without the index every deleted message
    # read the whole table (retention: minutes per batch of 5,000).
    quote_id = fields.Many2one(
        "livechat.message", string="Quoted Message", ondelete="set null", index=True
    )
    external_id = fields.Char(
        "External Message ID",
        copy=False,
        help="The message's id on its channel; a message arriving twice with "
        "the same id is stored once.",
    )
    delivery_state = fields.Selection(
        [
            ("pending", "Pending"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("failed", "Failed"),
        ],
        help="Outbound messages only: where the channel's delivery stands "
        "(delivered: the provider says it reached the customer's device).",
    )
    delivery_error = fields.Char(readonly=True)
    response_time = fields.Float(
        readonly=True,
        help="Replies: seconds the customer waited, from their "
        "first message since the previous reply.",
    )
    is_first_response = fields.Boolean(readonly=True)
    # The question asking the customer to rate a closed session: each
    # channel adds its answers (buttons, faces, links); not a reply in the
    # reports.
    is_rating_request = fields.Boolean(readonly=True, default=False)

    _sql_constraints = [
        (
            "channel_external_uniq",
            "unique(channel, external_id)",
            "A message with this id was already received on this channel.",
        ),
    ]

    @api.model_cr
    def init(self):
        # Operators' Performance reads the replies of a period: a narrow
        # index for them (about half the table) that the report's date filter
        # uses over a million messages.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS livechat_message_reply_date_index
               ON livechat_message (date) WHERE direction = 'out'"""
        )
        # A page of a conversation is the newest messages of a few sessions
        # (livechat.conversation._conversation_message_ids): read session
        # by session from the newest down, whatever the rest of the table
        # holds.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS livechat_message_session_page_index
               ON livechat_message (session_id, id)"""
        )

    def _compute_author_name(self):
        for message in self:
            if message.direction == "in":
                message.author_name = message.author_account_id.name
            elif message.chat_id.show_operator_name or self.env.user.has_group(
                "base.group_user"
            ):
                message.author_name = message.author_user_id.name
            else:
                message.author_name = message.chat_id.name

    @api.model
    def create(self, vals):
        # Users write only through ``livechat.session.reply`` (which checks
        # the session, sanitizes the body, then stores as superuser) and the
        # channels through ``_receive``: no direct create from a client.
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Write to a session with its Reply action."))
        return super(LivechatMessage, self).create(vals)

    @api.multi
    def write(self, vals):
        if self.env.uid != SUPERUSER_ID:
            raise AccessError(_("Live chat messages cannot be edited."))
        return super(LivechatMessage, self).write(vals)

    # Way in -------------------------------------------------------------------

    @api.model
    def _receive(
        self,
        chat,
        channel,
        account,
        body,
        external_id=None,
        body_type="text",
        attachments=None,
        date=None,
    ):
        """Store one inbound customer message; see the module docstring.

        :param chat: a ``livechat.chat`` record or id
        :param channel: a channel key (``'telegram'``, ``'email'``, ...)
        :param account: dict with ``external_id`` and optionally ``name``,
            ``image`` (base64), ``partner_id``, ``user_id``
        :param body: the text or HTML the customer wrote
        :param external_id: the provider's message id (idempotency key)
        :param attachments: list of dicts ``name``, ``datas`` (base64),
            ``mimetype``
        :param date: provider time of the message (UTC string or datetime)
        :return: the ``livechat.message`` (the stored one for a duplicate)
        :raises ValidationError: on bad input; nothing is written then
        """
        self = self.sudo()
        if isinstance(chat, int) and not isinstance(chat, bool):
            chat_id = chat
        else:
            chat_id = (
                chat.id if isinstance(chat, models.BaseModel) and len(chat) == 1 else 0
            )
        if channel not in dict(self._fields["channel"].selection):
            raise ValidationError(_("Unknown channel %r.") % (channel,))
        if (
            not isinstance(account, dict)
            or not str(account.get("external_id") or "").strip()
        ):
            raise ValidationError(_("The customer's account id is missing."))
        try:
            html = text.to_html(body, body_type)
        except text.BodyError as error:
            raise ValidationError(str(error))
        attachment_vals = self._prepare_attachments(attachments or [])
        if external_id is not None:
            external_id = str(external_id).strip() or None
        if isinstance(date, datetime.datetime):
            date = fields.Datetime.to_string(date)
        date = date or fields.Datetime.now()

        Account = self.env["livechat.account"]
        account_key = str(account["external_id"]).strip()
        found = self._look_up(chat_id, channel, account_key, external_id)
        if not found.chat_active:
            # Raised before anything is created; the caller's rollback undoes
            # the account lock's timestamp.
            raise ValidationError(_("Unknown or archived live chat."))
        if found.duplicate_id:
            return self.browse(found.duplicate_id)
        if found.account_id:
            account_rec = Account._locked(
                (found.account_id, found.account_name, found.partner_id),
                channel,
                account_key,
            )
        else:
            account_rec = Account._create_or_lock(channel, account)
        # A follow-up belongs to the chat its session is in now.
        chat_id = found.session_chat_id or chat_id
        if found.session_id and not found.is_spam and not attachment_vals:
            return self._store_follow_up(
                found, chat_id, channel, account_rec, html, external_id, date
            )
        return self._store(
            found,
            chat_id,
            channel,
            account_rec,
            html,
            external_id,
            date,
            attachment_vals,
        )

    def _look_up(self, chat_id, channel, account_key, external_id):
        """The way in's first statement, on every customer message
        (bench/ingest.py): lock the account's row (livechat.account._lock's
        query), and read the chat's state, the open session and a stored
        duplicate. Returns a :data:`Found`."""
        self.env.cr.execute(
            """WITH account AS ({lock})
               SELECT account.id, account.name, account.partner_id, c.active,
                      s.id, s.chat_id, s.name, s.state,
                      s.is_spam, s.operator_id, s.group_id,
                      EXISTS (SELECT 1 FROM livechat_chat_process_message_rel p
                              WHERE p.chat_id = COALESCE(s.chat_id, c.id))
                        AS has_processes,
                      (SELECT m.id FROM livechat_message m
                       WHERE m.channel = %(channel)s
                         AND m.external_id = %(message_external_id)s) AS duplicate_id
               FROM (SELECT 1) AS one
               LEFT JOIN account ON true
               LEFT JOIN livechat_chat c ON c.id = %(chat)s
               LEFT JOIN livechat_session s
                 ON s.entry_chat_id = %(chat)s AND s.account_id = account.id
                AND s.state != 'closed'""".format(
                lock=LOCK_QUERY
            ),
            {
                "channel": channel,
                "message_external_id": external_id,
                "chat": chat_id,
                "external_id": account_key,
            },
            # A serialization failure on the lock is the expected outcome of
            # a race, retried by the caller: not an error to log.
            log_exceptions=False,
        )
        return Found(*self.env.cr.fetchone())

    @staticmethod
    def _found_values(found, chat_id):
        """The open session of ``found`` as ``livechat.session._bus_values``
        gives it."""
        return {
            "session_id": found.session_id,
            "chat_id": chat_id,
            "name": found.session_name,
            "session_state": found.session_state,
            "operator_id": found.operator_id,
            "group_id": found.group_id,
            "is_spam": found.is_spam,
        }

    def _store_follow_up(
        self, found, chat_id, channel, account, html, external_id, date
    ):
        """Most customer messages: a text in an open session that is not
        spam. Stored, its session's dates widened and its followers
        notified by one statement."""
        Session = self.env["livechat.session"]
        session = Session.browse(found.session_id)
        values = self._found_values(found, chat_id)
        payload = dict(
            values,
            type="livechat.message",
            message=self._bus_payload(
                None,
                session.id,
                "in",
                account.name,
                html,
                date,
                channel,
                session_name=found.session_name,
            ),
        )
        message = self.browse(
            self._insert_inbound(
                session.id,
                channel,
                account.id,
                html,
                external_id,
                date,
                notify=(payload, Session._audience(values)),
            )
        )
        if found.has_processes:
            session._run_processes("message")
        return message

    def _store(
        self, found, chat_id, channel, account, html, external_id, date, attachment_vals
    ):
        """Every other customer message: the first of a session (which is
        opened, named and routed), one with files, one of a spam session
        (stored, never notified)."""
        Session = self.env["livechat.session"]
        if found.session_id:
            session = Session.browse(found.session_id)
            values = self._found_values(found, chat_id)
        else:
            session, on_create = Session._open_inbound(
                chat_id, account, channel, date, html
            )
            values = session._bus_values()
        message = self.browse(
            self._insert_inbound(
                session.id, channel, account.id, html, external_id, date
            )
        )
        if attachment_vals:
            message.attachment_ids = self._create_attachments(message, attachment_vals)
        if not values["is_spam"]:
            session._notify_staff(
                "livechat.message" if found.session_id else "livechat.session_new",
                self._bus_payload(
                    message.id,
                    session.id,
                    "in",
                    account.name,
                    html,
                    date,
                    channel,
                    message.attachment_ids.ids if attachment_vals else (),
                    session_name=values["name"],
                    attachments=attachment_vals
                    and message.attachment_ids.sudo().read(ATTACHMENT_FIELDS),
                ),
                values=values,
            )
            if not found.session_id:
                session._inbox_new(values)
            if not found.session_id and on_create:
                session._run_processes("create")
            if found.has_processes:
                session._run_processes("message")
        return message

    def _insert_inbound(
        self, session_id, channel, account_id, html, external_id, date, notify=None
    ):
        """Store a customer's message and widen its session's dates, in one
        statement; return the message id.

        Not the ORM's create: this is the hot path of every channel, and the
        model has nothing the ORM would add here (no stored computed field,
        no tracking; the body is already sanitized by engine.text). The
        session row is already ours (account lock), and a provider may
        deliver out of order, so the dates only ever widen.

        ``notify``: ``(payload, audience)`` as ``bus.bus._livechat_notify``
        takes them, the payload's message id left to the statement: the
        staff is notified by the same statement.
        """
        params = {
            "session": session_id,
            "channel": channel,
            "account": account_id,
            "body": html,
            "external_id": external_id,
            "date": date,
        }
        notified = "SELECT NULL::varchar AS channel WHERE false"
        Bus = self.env["bus.bus"]
        if notify:
            payload, audience = notify
            notified, bus_params = Bus._livechat_notify_query(
                payload, message_id_from="(SELECT id FROM message)", **audience
            )
            notified += " RETURNING channel"
            # The two statements' parameters share one namespace.
            params.update(("bus_" + key, value) for key, value in bus_params.items())
            notified = notified.replace("%(", "%(bus_")
        # No create_uid / write_uid: the way in runs as superuser, so they
        # would name the administrator as the author of every customer's
        # message (the author is the account), and each cost a foreign key
        # check on every message.
        self.env.cr.execute(
            """WITH message AS (
                   INSERT INTO livechat_message
                       (session_id, channel, direction, author_account_id, body,
                        external_id, date, create_date, write_date)
                   VALUES (%(session)s, %(channel)s, 'in', %(account)s, %(body)s,
                           %(external_id)s, %(date)s, now() AT TIME ZONE 'UTC',
                           now() AT TIME ZONE 'UTC')
                   RETURNING id),
               session AS ({widen}),
               notified AS ({notified})
               SELECT (SELECT id FROM message),
                      ARRAY(SELECT channel FROM notified)""".format(
                widen=WIDEN_SESSION_DATES, notified=notified
            ),
            params,
        )
        message_id, channels = self.env.cr.fetchone()
        Bus._livechat_wake(channels)
        self.env["livechat.session"].invalidate_cache(
            ["last_message_date", "first_message_date", "message_ids"], [session_id]
        )
        return message_id

    def _touch_session(self, session, date):
        # One UPDATE instead of an ORM write: the session row is already
        # ours (account lock, or the replying operator's checks).
        self.env.cr.execute(WIDEN_SESSION_DATES, {"date": date, "session": session.id})
        session.invalidate_cache(
            ["last_message_date", "first_message_date"], session.ids
        )

    @api.model
    def _prepare_attachments(self, attachments):
        """Validate attachments before anything is written. The type stored
        is read from the content (engine.files); the ``mimetype`` a channel
        passes is what the sender declared, and is not trusted."""
        result = []
        for item in attachments:
            if not isinstance(item, dict) or not item.get("name"):
                raise ValidationError(_("Each attachment needs a name and content."))
            name = files.clean_name(item["name"])
            datas = item.get("datas") or b""
            try:
                content = base64.b64decode(datas, validate=True)
            except (binascii.Error, ValueError, TypeError):
                raise ValidationError(_("Attachment %s is not valid base64.") % name)
            if len(content) > MAX_ATTACHMENT_SIZE:
                raise ValidationError(
                    _("Attachment %s is larger than %d MB.")
                    % (name, MAX_ATTACHMENT_SIZE // (1024 * 1024))
                )
            result.append(
                {
                    "name": name,
                    "datas_fname": name,
                    "datas": datas,
                    "mimetype": files.content_type(content),
                }
            )
        return result

    def _create_attachments(self, message, attachment_vals):
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.browse()
        for vals in attachment_vals:
            attachments |= Attachment.create(
                dict(vals, res_model=self._name, res_id=message.id)
            )
        return attachments

    # Way out ------------------------------------------------------------------

    @api.model
    def _post_reply(
        self, session, body, body_type="text", attachment_ids=None, quote_id=None
    ):
        """Store an operator's reply (the session has been checked)."""
        try:
            html = text.to_html(body, body_type)
        except text.BodyError as error:
            raise ValidationError(str(error))
        quote = self.browse(quote_id).exists() if quote_id else self.browse()
        quoted = quote.session_id.account_id
        customer = session.account_id
        # The same customer: the account, or another account of their
        # contact (a reply through another channel of their timeline).
        if quote and not (
            quoted == customer
            or (customer.partner_id and quoted.partner_id == customer.partner_id)
        ):
            raise ValidationError(_("The quoted message is not from this customer."))
        if quote.direction == "note":
            # A quote goes out with the reply: a note would reach the customer.
            raise ValidationError(_("An internal note is not quoted to the customer."))
        attachments = self._own_uploads(session, attachment_ids)
        # What the customer waited for this reply (the reports' response time):
        # since their first message after the previous reply.
        self.env.cr.execute(
            """SELECT min(date) FROM livechat_message
               WHERE session_id = %(session)s AND direction = 'in'
                 AND id > COALESCE((SELECT max(id) FROM livechat_message
                                    WHERE session_id = %(session)s
                                      AND direction = 'out'), 0)""",
            {"session": session.id},
        )
        waiting_since = self.env.cr.fetchone()[0]
        now = fields.Datetime.now()
        Session = self.env["livechat.session"]
        first = not session.sudo().first_response_date
        message = self.sudo().create(
            {
                "session_id": session.id,
                "channel": session.channel,
                "direction": "out",
                "author_user_id": self.env.uid,
                "body": html,
                "quote_id": quote.id,
                "attachment_ids": [(6, 0, attachments.ids)],
                "delivery_state": "pending",
                "date": now,
                "response_time": Session._seconds_between(waiting_since, now),
                "is_first_response": first,
            }
        )
        if first:
            session.sudo().write(
                {
                    "first_response_date": now,
                    "first_response_time": Session._seconds_between(
                        session.sudo().first_message_date, now
                    ),
                }
            )
        for attachment in attachments.sudo():
            # Typed by content, as the customers' files are.
            attachment.write(
                {
                    "res_model": self._name,
                    "res_id": message.id,
                    "mimetype": files.content_type(
                        base64.b64decode(attachment.datas or b"")
                    ),
                }
            )
        self._touch_session(session.sudo(), message.date)
        message._send()
        session.sudo()._notify_staff("livechat.message", message._to_bus())
        return message

    def _post_rating_request(self, session, question):
        """Store the question asking the customer to rate ``session`` (just
        closed, checked by the caller) as the closing user's message, and
        send it through the session's channel like a reply."""
        message = self.sudo().create(
            {
                "session_id": session.id,
                "channel": session.channel,
                "direction": "out",
                "author_user_id": self.env.uid,
                "body": text.to_html(question, "text"),
                "delivery_state": "pending",
                "date": fields.Datetime.now(),
                "is_rating_request": True,
            }
        )
        message._send()
        session.sudo()._notify_staff("livechat.message", message._to_bus())
        return message

    def _post_note(self, session, body):
        """Store a staff member's internal note on ``session`` (checked by
        the caller) and show it to the session's staff. A note is never
        sent (no ``_send``: every channel delivers replies only), never
        counted as a reply, and no customer-side view reads it."""
        try:
            html = text.to_html(body, "text")
        except text.BodyError as error:
            raise ValidationError(str(error))
        message = self.sudo().create(
            {
                "session_id": session.id,
                "channel": session.sudo().channel,
                "direction": "note",
                "author_user_id": self.env.uid,
                "body": html,
                "date": fields.Datetime.now(),
            }
        )
        session.sudo()._notify_staff("livechat.message", message._to_bus())
        return message

    @api.model
    def _resanitize_stored(self, batch=1000):
        """Bring stored messages to today's rules (an upgrade's migration):
        bodies through :func:`engine.text.sanitize`, the conversation's files
        typed by their content. Batched by id, one UPDATE per changed row.
        Returns the number of bodies and files changed."""
        cr = self.env.cr
        bodies = last_id = 0
        while True:
            cr.execute(
                """SELECT id, body FROM livechat_message WHERE id > %s
                   ORDER BY id LIMIT %s""",
                (last_id, batch),
            )
            rows = cr.fetchall()
            if not rows:
                break
            for message_id, body in rows:
                clean = text.sanitize(body or "") or "<p></p>"
                if clean != body:
                    cr.execute(
                        "UPDATE livechat_message SET body = %s WHERE id = %s",
                        (clean, message_id),
                    )
                    bodies += 1
            last_id = rows[-1][0]
        Attachment = self.env["ir.attachment"].sudo()
        typed = 0
        for attachment in Attachment.search(
            [("res_model", "in", ("livechat.message", "livechat.session"))]
        ):
            mimetype = files.content_type(base64.b64decode(attachment.datas or b""))
            if attachment.mimetype != mimetype:
                attachment.write({"mimetype": mimetype})
                typed += 1
        self.invalidate_cache(["body"])
        return bodies, typed

    @api.model
    def _own_uploads(self, session, attachment_ids):
        """The attachments ``attachment_ids`` if each is a file the current
        user uploaded for a reply in ``session`` (on the session, or on no
        record; ``session`` may be None for a first message) and not sent
        yet; a ValidationError otherwise. A reply moves its files onto the
        message: it must never take a file that belongs to another record (a
        contact's, another session's)."""
        if not attachment_ids:
            return self.env["ir.attachment"]
        if not isinstance(attachment_ids, (list, tuple)) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in attachment_ids
        ):
            raise ValidationError(_("Attachments are given by their ids."))
        attachments = self.env["ir.attachment"].sudo().browse(attachment_ids).exists()
        self.env.cr.execute(
            """SELECT attachment_id FROM livechat_message_attachment_rel
               WHERE attachment_id IN %s""",
            (tuple(attachments.ids) or (0,),),
        )
        sent = {row[0] for row in self.env.cr.fetchall()}
        for attachment in attachments:
            mine = attachment.create_uid.id == self.env.uid
            unbound = not attachment.res_model or (
                attachment.res_model == "livechat.session"
                and attachment.res_id in (0, session.id if session else 0)
            )
            if not mine or not unbound or attachment.id in sent or attachment.res_field:
                raise ValidationError(
                    _("Only files you uploaded for this reply can be sent.")
                )
        if len(attachments) != len(set(attachment_ids)):
            raise ValidationError(_("A file of this reply no longer exists."))
        return attachments.sudo(self.env.uid)

    @api.multi
    def _send(self):
        """Deliver outbound messages to the customer's channel.

        Customers of the channels that are read in Odoo itself (employees,
        website visitors: bus and history) have their messages once they
        are stored. Addons extend this for channels that need a provider
        call (through a delivery queue).
        """
        channels = self.env["livechat.chat"]._livechat_channels()
        self.filtered(
            lambda m: channels.get(m.channel, {}).get("read_in_odoo")
        ).sudo().write({"delivery_state": "sent"})

    def _to_bus(self):
        """A staff member's reply or note as the bus carries it: the
        conversation's own row (picture, files, quote, delivery state), so
        that every open conversation shows it without asking the server."""
        self.ensure_one()
        row = self.env["livechat.conversation"].sudo()._format_messages(self.sudo())[0]
        return self._bus_sized(
            dict(
                row,
                author_name=self.author_name,
                attachment_ids=self.attachment_ids.ids,
                quote_id=self.quote_id.id,
                complete=True,
            )
        )

    @staticmethod
    def _bus_sized(payload):
        """``payload`` without its body when the body is too long to copy
        to every screen (see :data:`BUS_BODY_LIMIT`)."""
        if len(payload.get("body") or "") > BUS_BODY_LIMIT:
            payload = dict(payload, body=None, complete=False)
        return payload

    @staticmethod
    def _bus_payload(
        message_id,
        session_id,
        direction,
        author_name,
        body,
        date,
        channel,
        attachment_ids=(),
        quote_id=False,
        session_name=None,
        attachments=None,
    ):
        """A customer's message as bus notifications carry it; the way in
        builds it from what it holds rather than reading the new record back.

        With ``session_name`` and the files' ``attachments`` (as the
        conversation reads them), it is ``complete``: open conversations
        add it as it is, their own channel labels (in their user's language)
        beside it and the name and picture the customer's earlier messages
        show (``author`` and ``avatar`` None: not read here)."""
        payload = {
            "id": message_id,
            "session_id": session_id,
            "direction": direction,
            "author_name": author_name,
            "body": body,
            "date": date,
            "channel": channel,
            "attachment_ids": list(attachment_ids),
            "quote_id": quote_id,
        }
        if session_name is not None and not quote_id:
            payload.update(
                author=None,
                avatar=None,
                session_name=session_name,
                attachments=attachments or [],
                quote=False,
                delivery_state=False,
                delivery_error=False,
                complete=True,
            )
        return LivechatMessage._bus_sized(payload)
