# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sessions: one conversation of one customer account in one live chat.

Life of a session::

    customer writes ──> queued ──take / assign──> active ──close──> closed
                          │  ^                      │
                          │  └──── assign group ────┘
                          └──────────── close ─────────────────────> closed

Who may do what is settled in two places: record rules (who sees which
session, security/livechat_sessions_security.xml) and the action methods below.
Fields that move a session between people or states are written only by those
methods, never by a plain ``write`` from a client. Who may act on whose
session (SECURITY.md has the same table, test_roles.py proves it):

=====================  ===========================  =======================
action                 an operator of the chat      a supervisor of the chat
=====================  ===========================  =======================
take                   queued (own groups)          queued (any group)
reply                  queued (own groups), own     any open session
name, priority         queued (own groups), own     any
spam, unspam, lock     queued (own groups), own     any
unlock                 never                        any
assign                 never                        any open session
close                  own                          any
=====================  ===========================  =======================

Everyone must be Online; readers only read.

The session's business processes are in livechat_session_process.py, its
notifications (who follows a session, what the bus carries) in
livechat_session_notify.py.
"""
import logging

import psycopg2

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

from ..engine import naming
from ..tools import cache
from .livechat_chat import CHANNELS

_logger = logging.getLogger(__name__)

PRIORITIES = [("0", "Not set"), ("1", "Low"), ("2", "Medium"), ("3", "High")]

#: Fields a user may change with a plain write (everything else moves only
#: through the action methods, which check roles first).
USER_WRITABLE_FIELDS = {"name", "priority"}


class LivechatSession(models.Model):
    _name = "livechat.session"
    _description = "Live Chat Session"
    _order = "last_message_date desc, id desc"

    name = fields.Char(required=True)
    chat_id = fields.Many2one(
        "livechat.chat",
        string="Live Chat",
        required=True,
        index=True,
        ondelete="restrict",
    )
    entry_chat_id = fields.Many2one(
        "livechat.chat",
        string="Came In Through",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The live chat the customer wrote to: its bot, number, inbox or "
        "website chat carries the conversation, also once the session moved "
        "to another live chat.",
    )
    account_id = fields.Many2one(
        "livechat.account",
        required=True,
        index=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(
        "res.partner",
        related="account_id.partner_id",
        string="Contact",
        readonly=True,
    )
    channel = fields.Selection(CHANNELS, required=True, index=True)
    state = fields.Selection(
        [("queued", "Queue"), ("active", "Active"), ("closed", "Closed")],
        required=True,
        default="queued",
        index=True,
    )
    operator_id = fields.Many2one("res.users", index=True)
    group_id = fields.Many2one(
        "res.groups",
        string="Assigned Group",
        index=True,
        help="The session waits in the queue of this group's members.",
    )
    priority = fields.Selection(PRIORITIES, default="0", required=True)
    is_spam = fields.Boolean("Spam", index=True)
    first_message_date = fields.Datetime(readonly=True, index=True)
    last_message_date = fields.Datetime(readonly=True, index=True)
    closed_date = fields.Datetime(readonly=True)
    messages_deleted_date = fields.Datetime(
        "Messages deleted on",
        readonly=True,
        copy=False,
        help="The chat's retention period deleted this session's messages and "
        "files then; the session and its figures stay.",
    )
    # Measures for the reports, written as the session moves (seconds).
    assigned_date = fields.Datetime(readonly=True)
    first_response_date = fields.Datetime(readonly=True)
    first_response_time = fields.Float(
        readonly=True, help="Seconds from the first message to the first reply."
    )
    handle_time = fields.Float(
        readonly=True, help="Seconds from the assignment to the closing."
    )
    queue_wait = fields.Float(
        readonly=True, help="Seconds from the first message to the assignment."
    )
    message_ids = fields.One2many("livechat.message", "session_id", string="Messages")
    binding_ids = fields.One2many(
        "livechat.session.binding", "session_id", string="Bound Records"
    )
    process_log_ids = fields.One2many(
        "livechat.session.process.log",
        "session_id",
        string="Process Runs",
        groups="livechat_sessions.group_livechat_supervisor",
    )
    unread_count = fields.Integer(
        compute="_compute_unread_count",
        help="Customer messages the current user has not seen yet.",
    )
    message_count = fields.Integer(compute="_compute_message_count")
    history_session_ids = fields.Many2many(
        "livechat.session",
        compute="_compute_history_session_ids",
        string="History",
        help="Earlier sessions of the same account in the same live chat.",
    )
    # What the current user may do with the session: the forms and the
    # workspace show a button, a star or a field as editable only then.
    user_can_take = fields.Boolean(compute="_compute_user_rights")
    user_can_close = fields.Boolean(compute="_compute_user_rights")
    user_can_handle = fields.Boolean(
        compute="_compute_user_rights",
        help="Mark as spam, lock the account, rename, set the priority.",
    )
    user_can_supervise = fields.Boolean(
        compute="_compute_user_rights",
        help="Unlock the account, assign any session of the chat.",
    )

    @api.model_cr
    def init(self):
        # Sessions from before sessions could move came in through their
        # own chat.
        self.env.cr.execute(
            """UPDATE livechat_session SET entry_chat_id = chat_id
               WHERE entry_chat_id IS NULL"""
        )
        # At most one open session per customer account and way in (the
        # chat they wrote to; a session moved to another chat still holds
        # its place there). The way in already serializes on the account
        # row; this index makes the rule hold for every other writer too.
        self.env.cr.execute("DROP INDEX IF EXISTS livechat_session_open_uniq")
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS livechat_session_open_entry_uniq
               ON livechat_session (entry_chat_id, account_id)
               WHERE state != 'closed'"""
        )
        # Routing counts each candidate operator's active sessions.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS livechat_session_operator_load_index
               ON livechat_session (operator_id)
               WHERE state = 'active' AND NOT is_spam"""
        )
        # Every session event tells the team the length of the chat's queue.
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS livechat_session_queue_index
               ON livechat_session (chat_id)
               WHERE state = 'queued' AND NOT is_spam"""
        )

    # Computes ---------------------------------------------------------------

    def _compute_unread_count(self):
        counts = {}
        if self.ids:
            self.env.cr.execute(
                """SELECT m.session_id, count(*)
                   FROM livechat_message m
                   LEFT JOIN livechat_session_seen s
                     ON s.session_id = m.session_id AND s.user_id = %s
                   WHERE m.session_id IN %s AND m.direction = 'in'
                     AND m.id > COALESCE(s.last_seen_message_id, 0)
                   GROUP BY m.session_id""",
                (self.env.uid, tuple(self.ids)),
            )
            counts = dict(self.env.cr.fetchall())
        for session in self:
            session.unread_count = counts.get(session.id, 0)

    def _compute_message_count(self):
        data = self.env["livechat.message"].read_group(
            [("session_id", "in", self.ids)], ["session_id"], ["session_id"]
        )
        counts = {row["session_id"][0]: row["session_id_count"] for row in data}
        for session in self:
            session.message_count = counts.get(session.id, 0)

    def _compute_history_session_ids(self):
        for session in self:
            session.history_session_ids = self.search(
                [
                    ("chat_id", "=", session.chat_id.id),
                    ("account_id", "=", session.account_id.id),
                    ("id", "!=", session.id),
                    (
                        "first_message_date",
                        "<=",
                        session.first_message_date or fields.Datetime.now(),
                    ),
                ]
            )

    def _compute_user_rights(self):
        for session in self:
            rights = session._user_rights()
            session.user_can_take = rights["take"]
            session.user_can_close = rights["close"]
            session.user_can_handle = rights["handle"]
            session.user_can_supervise = rights["supervise"]

    def _user_rights(self):
        """What the current user may do with this session, by action: the
        checks the actions themselves make, asked without acting, so that a
        client never offers what the server would refuse (readers, Offline
        operators, another operator's session)."""
        self.ensure_one()
        record = self.sudo()
        user = self.env.user

        def passes(check, *args):
            try:
                check(*args)
            except (AccessError, UserError):
                return False
            return True

        supervise = passes(self._check_staff, True)
        take = (
            record.state == "queued"
            and not record.is_spam
            and passes(self._check_staff)
            # A session assigned to a group waits for its members (and the
            # chat's supervisors): action_take's condition.
            and (
                supervise
                or self._is_system()
                or not record.group_id
                or record.group_id in user.groups_id
            )
        )
        return {
            "take": bool(take),
            "close": record.state != "closed" and passes(self._check_closing),
            "handle": passes(self._check_handling),
            "assign": record.state != "closed" and passes(self._check_assigning),
            "supervise": supervise,
        }

    def _closing_values(self):
        """What closing this session now writes: its state, date and handle
        time (from its assignment)."""
        self.ensure_one()
        now = fields.Datetime.now()
        return {
            "state": "closed",
            "closed_date": now,
            "handle_time": self._seconds_between(self.assigned_date, now),
        }

    @staticmethod
    def _seconds_between(start, end):
        """Seconds from ``start`` to ``end`` (Odoo datetime strings), or None
        when ``start`` is unknown."""
        if not start:
            return None
        return max(
            0.0,
            (
                fields.Datetime.from_string(end) - fields.Datetime.from_string(start)
            ).total_seconds(),
        )

    # Checks -----------------------------------------------------------------

    def _way_in(self):
        """The live chat the customer wrote to (sudo): its bot, number,
        inbox or website chat carries the conversation both ways, also
        once the session moved to another chat."""
        system = self.sudo()
        return system.entry_chat_id or system.chat_id

    def _is_system(self):
        return self.env.uid == SUPERUSER_ID

    def _check_staff(self, supervisor=False):
        """Raise unless the current user operates (or supervises) every chat
        of ``self`` and is Online."""
        if self._is_system():
            return
        # Roles are read as superuser: whether the caller may still *see* the
        # session is the record rules' business, not this check's.
        for chat in self.sudo().mapped("chat_id"):
            self._check_chat_role(chat, supervisor)
        self.env.user._livechat_check_online()

    def _check_chat_role(self, chat, supervisor=False):
        user = self.env.user
        if chat._is_supervisor(user):
            return
        if supervisor:
            raise AccessError(_("Only the supervisors of %s may do this.") % chat.name)
        if not chat._is_operator(user):
            raise AccessError(
                _("You are neither an operator nor a supervisor of %s.") % chat.name
            )

    def _check_handling(self):
        """Raise unless the current user may act on every session of self
        for its customer (spam, lock, name, priority): a supervisor of its
        chat, or an operator of its chat whose session it is, or who may
        take it (queued, unassigned or assigned to one of their groups)."""
        self._check_staff()
        if self._is_system():
            return
        user = self.env.user
        for session in self.sudo():
            if session.chat_id._is_supervisor(user) or session.operator_id == user:
                continue
            if (
                session.state == "queued"
                and not session.operator_id
                and (not session.group_id or session.group_id in user.groups_id)
            ):
                continue
            raise AccessError(
                _("Session %s is handled by %s: ask them or a supervisor.")
                % (
                    session.name,
                    session.operator_id.name
                    or session.group_id.name
                    or _("another team"),
                )
            )

    def _check_assigning(self):
        """Raise unless the current user may (re)assign every session of
        self: a supervisor of its chat, or its operator handing it on."""
        self._check_staff()
        if self._is_system():
            return
        user = self.env.user
        for session in self.sudo():
            if session.chat_id._is_supervisor(user) or session.operator_id == user:
                continue
            raise AccessError(
                _(
                    "Only the supervisors of %s, or the session's operator, "
                    "may assign it."
                )
                % session.chat_id.name
            )

    def _check_closing(self):
        """Raise unless the current user may close every session of self:
        its operator, or a supervisor of its chat."""
        self._check_staff()
        if self._is_system():
            return
        user = self.env.user
        for session in self.sudo():
            if session.operator_id != user and not session.chat_id._is_supervisor(user):
                raise AccessError(
                    _("Only the session's operator or a supervisor may close %s.")
                    % session.name
                )

    def _check_responsible(self):
        """Raise unless the current user may reply in every session of self."""
        self._check_staff()
        if self._is_system():
            return
        user = self.env.user
        for session in self:
            if session.state == "closed":
                raise UserError(_("Session %s is closed.") % session.name)
            if session.operator_id != user and not session.chat_id._is_supervisor(user):
                raise AccessError(
                    _("Session %s is handled by %s.")
                    % (session.name, session.operator_id.name or _("nobody yet"))
                )

    # ORM --------------------------------------------------------------------

    @api.model
    def create(self, vals):
        """Operators start an outbound session (+New session); channels go
        through :meth:`livechat.message._receive`, which runs as superuser."""
        if not self._is_system():
            chat = self.env["livechat.chat"].sudo().browse(vals.get("chat_id"))
            if not chat.exists():
                raise ValidationError(_("Unknown live chat."))
            self._check_chat_role(chat)
            self.env.user._livechat_check_online()
            open_session = self.sudo().search(
                [
                    ("entry_chat_id", "=", chat.id),
                    ("account_id", "=", vals.get("account_id")),
                    ("state", "!=", "closed"),
                ],
                limit=1,
            )
            if open_session:
                raise UserError(
                    _("This customer already has an open session in %s: " "%s.")
                    % (chat.name, open_session.name)
                )
            vals = dict(
                vals,
                state="active",
                operator_id=self.env.uid,
                group_id=False,
                entry_chat_id=chat.id,
            )
        vals = dict(
            vals, entry_chat_id=vals.get("entry_chat_id") or vals.get("chat_id")
        )
        if not vals.get("name"):
            chat = self.env["livechat.chat"].browse(vals["chat_id"])
            account = self.env["livechat.account"].browse(vals["account_id"])
            vals["name"] = self._render_name(
                chat, account, created=vals.get("first_message_date")
            )
        if not vals.get("channel") and vals.get("account_id"):
            vals["channel"] = (
                self.env["livechat.account"].browse(vals["account_id"]).channel
            )
        session = super(LivechatSession, self).create(vals)
        if not self._is_system():
            session.sudo()._notify_staff("livechat.session_new")
        return session

    @api.multi
    def write(self, vals):
        if not self._is_system():
            forbidden = set(vals) - USER_WRITABLE_FIELDS
            if forbidden:
                raise AccessError(
                    _(
                        "These fields change only through the session's actions "
                        "(take, assign, close, spam): %s"
                    )
                    % ", ".join(sorted(forbidden))
                )
            self._check_handling()
        return super(LivechatSession, self).write(vals)

    @api.model
    def _open_inbound(self, chat_id, account, channel, date, html):
        """Open the session of a customer's first message ``html`` in the
        chat ``chat_id`` (the way in, as superuser): queued and routed by the
        chat's rules, or spam from the start for a locked customer (stored,
        never routed nor notified).

        What the chat's naming needs, and whether it has routing rules and
        processes on new sessions, is read in one query; the values the
        session is created with stay in the cache. Returns the session and
        whether the chat starts processes when a session is created.
        """
        self.env.cr.execute(
            """SELECT c.name, c.session_name_template, c.tz,
                      EXISTS (SELECT 1 FROM livechat_routing_rule r
                              WHERE r.chat_id = c.id AND r.active),
                      EXISTS (SELECT 1 FROM livechat_chat_process_create_rel p
                              WHERE p.chat_id = c.id)
               FROM livechat_chat c WHERE c.id = %s""",
            (chat_id,),
        )
        chat_name, template, tz, routed, on_create = self.env.cr.fetchone()
        chat = self.env["livechat.chat"].browse(chat_id)
        known = {"session_name_template": template, "tz": tz}
        if (self.env.lang or "en_US") == "en_US":
            # The column holds the English name; another language's is a
            # translation the ORM reads.
            known["name"] = chat_name
        cache.keep(chat, known)
        locked = self.env["livechat.blocklist.rule"]._match(account, chat_id)
        vals = {
            "chat_id": chat_id,
            "account_id": account.id,
            "channel": channel,
            "state": "queued",
            "operator_id": False,
            "group_id": False,
            "is_spam": bool(locked),
            "first_message_date": date,
            "last_message_date": date,
            "name": self._render_name(chat, account, created=date),
        }
        session = self.create(vals)
        cache.keep(session, vals)
        if routed and not locked:
            chat._route(session, html2plaintext(html))
        return session, on_create

    @api.model
    def _render_name(self, chat, account, created=None):
        labels = dict(self._fields["channel"]._description_selection(self.env))
        return naming.render(
            chat.session_name_template,
            customer=account.partner_id.name or account.name,
            chat=chat.name,
            channel=labels.get(account.channel, account.channel),
            created=fields.Datetime.from_string(created or fields.Datetime.now()),
            tz_name=chat.tz or "UTC",
        )

    # Actions ----------------------------------------------------------------

    @api.multi
    def action_take(self):
        """First Response: the first operator to take a queued session wins.

        The winner is decided by PostgreSQL: a conditional UPDATE on the
        session row. A concurrent taker either finds the condition false
        (READ COMMITTED) or gets a serialization failure (Odoo's REPEATABLE
        READ); both end in the same clear error, and the savepoint keeps the
        caller's transaction usable.
        """
        self.ensure_one()
        self._check_staff()
        session = self.sudo()
        if session.is_spam:
            raise UserError(_("Session %s is marked as spam.") % session.name)
        # A session assigned to a group waits for that group's members (and
        # the chat's supervisors) only.
        user = self.env.user
        any_group = self._is_system() or session.chat_id._is_supervisor(user)
        taken = self._conditional_take(user, any_group)
        if not taken:
            # The loser may no longer see the session (record rules): tell
            # who has it from the superuser's view of the row.
            raise UserError(
                _("Session %s was already taken by %s.")
                % (session.name, session.operator_id.name)
                if session.operator_id
                else _(
                    "Session %s changed while you were taking it "
                    "(taken, assigned or marked as spam). Try again."
                )
                % session.name
            )
        self.sudo()._notify_staff("livechat.session_taken")
        return True

    def _take_for(self, user):
        """Give a queued session to ``user`` (routing, automatic offers) if
        it is still queued; True if it was. Same conditional UPDATE as
        :meth:`action_take`, so it never races a human taker."""
        self.ensure_one()
        taken = self._conditional_take(user, any_group=True)
        if taken:
            # The assignee and the supervisors; the other operators' queue
            # counters learn of it with the next queue event.
            self.sudo()._notify_staff(
                "livechat.session_assigned",
                values=taken,
                audience={"chat_id": taken["chat_id"], "user_id": user.id},
            )
        return bool(taken)

    def _conditional_take(self, user, any_group):
        """The UPDATE that settles who gets a queued session; if ``user``
        got it, the session as :meth:`_bus_values` gives it (read by the
        UPDATE itself), else False. A concurrent winner makes the condition
        false, or (REPEATABLE READ) raises a serialization failure, caught
        inside a savepoint so the caller's transaction stays usable."""
        self.ensure_one()
        taken = False
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    """UPDATE livechat_session
                       SET state = 'active', operator_id = %(user)s, group_id = NULL,
                           queue_wait = CASE WHEN assigned_date IS NULL
                               THEN GREATEST(0, extract(epoch FROM
                                   now() AT TIME ZONE 'UTC' - first_message_date))
                               ELSE queue_wait END,
                           assigned_date = COALESCE(assigned_date,
                                                    now() AT TIME ZONE 'UTC'),
                           write_uid = %(user)s,
                           write_date = now() AT TIME ZONE 'UTC'
                       WHERE id = %(id)s AND state = 'queued' AND NOT is_spam
                         AND (%(any_group)s OR group_id IS NULL
                              OR group_id IN (SELECT gid FROM res_groups_users_rel
                                              WHERE uid = %(user)s))
                       RETURNING chat_id, name""",
                    {"user": user.id, "id": self.id, "any_group": any_group},
                    # Losing the race is expected: no "bad query" in the log.
                    log_exceptions=False,
                )
                row = self.env.cr.fetchone()
                if row:
                    taken = {
                        "session_id": self.id,
                        "chat_id": row[0],
                        "name": row[1],
                        "session_state": "active",
                        "operator_id": user.id,
                        "group_id": False,
                        "is_spam": False,
                    }
        except psycopg2.extensions.TransactionRollbackError:
            taken = False
        self.invalidate_cache(ids=self.ids)
        if taken:
            self.env["livechat.session.event"]._record(self, "taken", user)
        return taken

    @api.multi
    def add_note(self, body):
        """An internal note in the conversation, for the staff only: any
        operator or supervisor of the chat who can read the session (the
        record rules), closed sessions included."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        self._check_staff()
        return self.env["livechat.message"]._post_note(self, body)

    @api.multi
    def action_assign(self, user_id=None, group_id=None, note=None):
        """Supervisors assign or reassign a session to an operator or a
        group; an operator hands their own session on (to a colleague, or to
        a group with the expertise it needs). ``note``: what the next one
        should know, kept as an internal note naming who forwarded it."""
        self.ensure_one()
        self._check_assigning()
        if note is not None and not isinstance(note, str):
            raise ValidationError(_("A forwarding note is text."))
        if bool(user_id) == bool(group_id):
            raise UserError(_("Assign the session to an operator or to a group."))
        if self.state == "closed":
            raise UserError(_("Session %s is closed.") % self.name)
        chat = self.chat_id.sudo()
        if user_id:
            user = self.env["res.users"].sudo().browse(int(user_id)).exists()
            if not user or not (chat._is_operator(user) or chat._is_supervisor(user)):
                raise UserError(
                    _("%s does not operate live chat %s.")
                    % (user.name or user_id, chat.name)
                )
            vals = {"operator_id": user.id, "group_id": False, "state": "active"}
        else:
            group = self.env["res.groups"].sudo().browse(int(group_id)).exists()
            if group not in chat.operator_group_ids:
                raise UserError(
                    _("%s is not an operator group of live chat %s.")
                    % (group.name or group_id, chat.name)
                )
            vals = {"operator_id": False, "group_id": group.id, "state": "queued"}
        # The previous assignee learns the session left them.
        previous_user = self.sudo().operator_id
        previous = previous_user.partner_id.ids
        Event = self.env["livechat.session.event"]
        if previous_user and previous_user.id != vals["operator_id"]:
            Event._record(self, "transferred", previous_user)
        if vals["operator_id"]:
            Event._record(self, "assigned", user)
        else:
            Event._record(self, "grouped", self.env["res.users"], group=group)
            if not self.sudo().assigned_date:
                now = fields.Datetime.now()
                vals["assigned_date"] = now
                vals["queue_wait"] = self._seconds_between(
                    self.sudo().first_message_date, now
                )
        self.sudo().write(vals)
        payload = dict(self.sudo()._bus_values(), type="livechat.session_assigned")
        self.env["bus.bus"]._livechat_notify(
            payload,
            partner_ids=previous,
            chat_id=chat.id,
            user_id=vals["operator_id"],
            group_id=vals["group_id"],
        )
        if note and note.strip():
            self.env["livechat.message"]._post_note(
                self,
                _("Forwarded to %s by %s: %s")
                % (
                    (user if vals["operator_id"] else group).name,
                    self.env.user.name,
                    note,
                ),
            )
        if vals["operator_id"]:
            self._inbox_notify("assigned", users=user, by=self.env.user)
        else:
            self._inbox_notify("assigned", groups=group, by=self.env.user)
        return True

    @api.multi
    def action_close(self):
        self._check_staff()
        self.filtered(lambda session: session.state != "closed")._check_closing()
        user = self.env.user
        for session in self:
            if session.state == "closed":
                continue
            session._send_closing_message()
            values = session.sudo()._closing_values()
            session.sudo().write(values)
            self.env["livechat.session.event"]._record(
                session,
                "closed",
                session.sudo().operator_id or user,
                handle_time=values["handle_time"],
            )
            session.sudo()._notify_staff("livechat.session_closed")
            chat = session.sudo().chat_id
            session._inbox_notify(
                "closed",
                groups=chat.operator_group_ids | chat.supervisor_group_ids,
                by=user,
            )
            session.sudo()._notify_customer_closed()
            session._request_rating()
            session._run_processes("close")
            if session.sudo().operator_id:
                # The operator's load dropped: offer them the next in line.
                session.sudo().operator_id._livechat_offer_queued()
        return True

    @api.multi
    def action_mark_spam(self):
        return self._set_spam(True)

    @api.multi
    def action_unmark_spam(self):
        return self._set_spam(False)

    def _set_spam(self, is_spam):
        self._check_handling()
        self.sudo().write({"is_spam": is_spam})
        for session in self:
            session.sudo()._notify_staff("livechat.session_spam")
        return True

    @api.multi
    def action_lock_account(
        self, reason, date_expiry=None, lock="account", pattern=None, scope="chat"
    ):
        """Lock the session's customer with a blocklist rule: their account
        (``lock="account"``), every account of their contact (``"partner"``)
        or the addresses matching ``pattern`` on this channel
        (``"pattern"``); in this session's chat (``scope="chat"``, the
        default) or in every chat the user supervises (``"supervised"``,
        supervisors only); until ``date_expiry`` (UTC) or until unlocked.
        The open sessions the rule matches become spam. Returns the ids of
        the rules (one per chat)."""
        self.ensure_one()
        self._check_handling()
        session = self.sudo()
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(_("Say why the account is locked."))
        values = {"name": reason.strip(), "user_id": self.env.uid}
        if date_expiry:
            try:
                values["date_expiry"] = fields.Datetime.to_string(
                    fields.Datetime.from_string(date_expiry)
                )
            except (TypeError, ValueError):
                raise UserError(_("The lock's end must be a date and a time."))
        if lock == "account":
            values.update(rule_type="account", account_id=session.account_id.id)
        elif lock == "partner":
            if not session.account_id.partner_id:
                raise UserError(
                    _("This customer has no contact: lock their account or a pattern.")
                )
            values.update(
                rule_type="partner", partner_id=session.account_id.partner_id.id
            )
        elif lock == "pattern" and isinstance(pattern, str):
            values.update(
                rule_type="pattern", pattern=pattern.strip(), channel=session.channel
            )
        else:
            raise UserError(_("Lock the account, the contact or a pattern."))
        if scope == "chat":
            chats = session.chat_id
        elif scope == "supervised":
            self._check_staff(supervisor=True)
            user = self.env.user
            chats = (
                self.env["livechat.chat"]
                .sudo()
                .search([])
                .filtered(lambda chat: chat._is_supervisor(user))
            )
        else:
            raise UserError(_("Lock in this chat or in every chat you supervise."))
        Rule = self.env["livechat.blocklist.rule"].sudo()
        return [Rule.create(dict(values, chat_id=chat.id)).id for chat in chats]

    @api.multi
    def action_unlock_account(self):
        """Lift the rules locking the session's account or its contact
        (supervisors: operators may lock, never lift a lock). Sessions stay
        as they are: unmark spam where it was a mistake."""
        self.ensure_one()
        self._check_staff(supervisor=True)
        account = self.sudo().account_id
        rules = (
            self.env["livechat.blocklist.rule"]
            .sudo()
            .search(
                [
                    "|",
                    ("account_id", "=", account.id),
                    "&",
                    ("partner_id", "!=", False),
                    ("partner_id", "=", account.partner_id.id),
                ]
            )
        )
        # With the caller's own rights on the blocklist (its access rules).
        rules.sudo(self.env.uid).action_unlock()
        return True

    @api.multi
    def action_mark_seen(self):
        """Everything up to the last message is seen by the current user."""
        # Only sessions the caller may read (record rules).
        self.check_access_rights("read")
        self.check_access_rule("read")
        Seen = self.env["livechat.session.seen"].sudo()
        for session in self:
            Seen._mark(session, self.env.user)
        # The user's other screens (the systray, another tab) set their
        # unread counters from it without asking.
        self.invalidate_cache(["unread_count"])
        self.env["bus.bus"]._livechat_notify(
            {
                "type": "livechat.seen",
                "session_ids": self.ids,
                "unread_total": self.get_counters()["unread_total"],
            },
            partner_ids=self.env.user.partner_id.ids,
        )
        return True

    @api.multi
    def reply(self, body, body_type="text", attachment_ids=None, quote_id=None):
        """An operator's answer; a queued session is taken first."""
        return self._reply(
            body, body_type=body_type, attachment_ids=attachment_ids, quote_id=quote_id
        )

    def _reply(
        self,
        body,
        body_type="text",
        attachment_ids=None,
        quote_id=None,
        check_channel=True,
    ):
        """:meth:`reply`; ``check_channel=False`` for a server-side caller
        that settled the channel's rules itself (+New session's WhatsApp
        template), never for a client."""
        self.ensure_one()
        if check_channel:
            self._check_channel_takes_reply()
        if self.state == "queued" and not self._is_system():
            self.action_take()
        self._check_responsible()
        return self.env["livechat.message"]._post_reply(
            self,
            body,
            body_type=body_type,
            attachment_ids=attachment_ids,
            quote_id=quote_id,
        )

    def _send_closing_message(self):
        """The chat's closing message, to the customer on their channel, as
        the closing user's reply. Never to spam; a channel that cannot take
        it now (WhatsApp's 24-hour window) does not keep the session open:
        the message is skipped and the log says why."""
        self.ensure_one()
        system = self.sudo()
        text = system.chat_id.closing_message
        if not text or not text.strip() or system.is_spam:
            return
        try:
            with self.env.cr.savepoint():
                self._check_channel_takes_reply()
                self.env["livechat.message"]._post_reply(self, text)
        except UserError as error:
            _logger.info(
                "Session %s closed without its closing message: %s", self.id, error.name
            )

    def _notify_customer_closed(self):
        """Tell a customer who reads the conversation live (a website
        visitor, an employee) that it ended: channels add theirs."""

    def _check_channel_takes_reply(self):
        """Raise a UserError when the session's channel cannot carry an
        operator's message now (a provider's rule, such as WhatsApp's
        24-hour window): the reply is refused before anything is stored.
        Channels add their rules (livechat_channels)."""
        self.ensure_one()

    @api.model
    def get_counters(self):
        """The current user's counters for the menu and the workspace."""
        sessions = self.search(
            [
                ("operator_id", "=", self.env.uid),
                ("state", "=", "active"),
                ("is_spam", "=", False),
            ]
        )
        unread = {s.id: s.unread_count for s in sessions if s.unread_count}
        return {
            "unread_total": sum(unread.values()),
            "unread": unread,
            "queues": self.env["livechat.chat"].get_queue_counts(),
        }
