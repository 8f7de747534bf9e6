# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    livechat_status = fields.Selection(
        [("online", "Online"), ("offline", "Offline")],
        string="Live Chat Status",
        default="offline",
        required=True,
        help="Offline operators and supervisors can only view sessions.",
    )

    livechat_capacity = fields.Integer(
        "Live Chat Capacity",
        help="Most active sessions routing gives this operator at once; when "
        "the load drops below it, the next queued session is offered. 0: no "
        "limit (and no automatic offers).",
    )
    livechat_last_routed = fields.Datetime(readonly=True, copy=False)
    livechat_muted_chat_ids = fields.Many2many(
        "livechat.chat",
        "livechat_chat_muted_user_rel",
        "user_id",
        "chat_id",
        string="Muted Live Chats",
        help="Live chats whose new, assigned and closed sessions this user is "
        "not told of in the Inbox and the browser.",
    )

    def __init__(self, pool, cr):
        # Every user switches their own status, like their signature.
        super(ResUsers, self).__init__(pool, cr)
        type(self).SELF_WRITEABLE_FIELDS = list(
            set(self.SELF_WRITEABLE_FIELDS) | {"livechat_status"}
        )
        type(self).SELF_READABLE_FIELDS = list(
            set(self.SELF_READABLE_FIELDS) | {"livechat_status"}
        )

    @api.model
    def livechat_set_status(self, status):
        """Switch the current user Online or Offline (workspace, systray)."""
        if not self.env.user.has_group("livechat_sessions.group_livechat_operator"):
            raise AccessError(_("Only live chat operators go Online or Offline."))
        if status not in ("online", "offline"):
            raise UserError(_("Unknown status %r: use online or offline.") % status)
        user = self.env.user.sudo()
        user.livechat_status = status
        if status == "online":
            user._livechat_offer_queued()
        return status

    def _livechat_check_online(self):
        """Raise unless this user (usually ``env.user``) may act on sessions.

        The superuser acts for the channels and the system, never Offline.
        """
        self.ensure_one()
        if self.id != SUPERUSER_ID and self.livechat_status != "online":
            raise UserError(
                _(
                    "You are Offline: you can view sessions but not reply, take, "
                    "create or change them. Switch to Online first."
                )
            )

    # Routing --------------------------------------------------------------------

    @api.model
    def _livechat_available(self, user_ids=None, chat_id=None, group_id=None):
        """Candidates who are Online with room under their capacity, with
        their load: ``{id: active sessions}``, read in one query (a first,
        unlocked look; see :meth:`_livechat_reserve_first`).

        The candidates are ``user_ids``, or the members of ``group_id``, an
        operator group of the chat ``chat_id`` (a routing rule's team,
        picked in the same statement: routing runs on every new session).
        Ids, not records: routing reads nothing else of them, and a
        recordset of a whole team would make the ORM prefetch every
        member's row at the first field read.
        """
        if user_ids is not None:
            if not user_ids:
                return {}
            candidates = "u.id = ANY(%(ids)s)"
        else:
            # The group's members, while it is one of the chat's operator
            # groups (routing rules are checked to name one).
            candidates = """u.id IN (
                SELECT r.uid FROM res_groups_users_rel r
                WHERE r.gid = %(group)s AND EXISTS (
                    SELECT 1 FROM livechat_chat_operator_group_rel o
                    WHERE o.chat_id = %(chat)s AND o.group_id = %(group)s))"""
        query = """
            SELECT u.id, count(s.id) FROM res_users u
            LEFT JOIN livechat_session s
              ON s.operator_id = u.id AND s.state = 'active' AND NOT s.is_spam
            WHERE {candidates} AND u.active AND u.livechat_status = 'online'
            GROUP BY u.id
            HAVING COALESCE(max(u.livechat_capacity), 0) = 0
                OR count(s.id) < max(u.livechat_capacity)"""
        self.env.cr.execute(
            query.format(candidates=candidates),
            {"ids": list(user_ids or ()), "chat": chat_id, "group": group_id},
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _livechat_reserve_first(self, user_ids, available=None):
        """The first of ``user_ids`` (in order) who is Online and has room,
        with their row locked until commit; an empty recordset if none.

        One query finds who looks available (or ``available``, the caller's
        :meth:`_livechat_available` of the same ids); then, for the first of them,
        one statement locks the operator's row (an UPDATE, see
        livechat_routing_rule) and counts their load again under the lock,
        so concurrent routings to one operator are serialized and never
        exceed the capacity.
        """
        if available is None:
            available = self._livechat_available(user_ids)
        for user_id in user_ids:
            if user_id not in available:
                continue
            self.env.cr.execute(
                """UPDATE res_users SET livechat_last_routed = now() AT TIME ZONE 'UTC'
                   WHERE id = %s AND active AND livechat_status = 'online'
                   RETURNING livechat_capacity,
                             (SELECT count(*) FROM livechat_session
                              WHERE operator_id = res_users.id
                                AND state = 'active' AND NOT is_spam)""",
                (user_id,),
                log_exceptions=False,
            )
            row = self.env.cr.fetchone()
            if row and (not row[0] or row[1] < row[0]):
                return self.browse(user_id)
        return self.browse()

    def _livechat_queue_domain(self, chats):
        """The queued sessions of ``chats`` this operator may take: not
        spam, in the chat's queue or the queue of one of their groups."""
        self.ensure_one()
        return [
            ("chat_id", "in", chats.ids),
            ("state", "=", "queued"),
            ("is_spam", "=", False),
            "|",
            ("group_id", "=", False),
            ("group_id", "in", self.groups_id.ids),
        ]

    def _livechat_offer_queued(self):
        """Give this operator queued sessions of their chats, oldest first,
        while they are Online and below their capacity."""
        self.ensure_one()
        if not self.livechat_capacity or self.livechat_status != "online":
            return
        Session = self.env["livechat.session"].sudo()
        chats = (
            self.env["livechat.chat"]
            .sudo()
            .search([])
            .filtered(lambda c: c._is_operator(self))
        )
        while chats and self._livechat_reserve_first(self.ids):
            queued = Session.search(
                self._livechat_queue_domain(chats),
                order="first_message_date, id",
                limit=1,
            )
            if not queued or not queued._take_for(self):
                return
