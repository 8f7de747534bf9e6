# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError


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
        "limit (and no automatic offers).")
    livechat_last_routed = fields.Datetime(readonly=True, copy=False)

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
                _("You are Offline: you can view sessions but not reply, take, "
                  "create or change them. Switch to Online first.")
            )

    # Routing --------------------------------------------------------------------

    @api.model
    def _livechat_loads(self, users):
        """Active, non-spam sessions per user, in one query."""
        if not users:
            return {}
        self.env.cr.execute(
            """SELECT operator_id, count(*) FROM livechat_session
               WHERE operator_id IN %s AND state = 'active' AND NOT is_spam
               GROUP BY operator_id""", (tuple(users.ids),))
        return dict(self.env.cr.fetchall())

    @api.model
    def _livechat_available(self, candidates):
        """``candidates`` who are Online with room under their capacity, in
        the same order, read in one query (a first, unlocked look)."""
        if not candidates:
            return candidates
        self.env.cr.execute(
            """SELECT u.id FROM res_users u
               LEFT JOIN (SELECT operator_id, count(*) AS load
                          FROM livechat_session
                          WHERE operator_id = ANY(%(ids)s) AND state = 'active'
                            AND NOT is_spam
                          GROUP BY operator_id) l ON l.operator_id = u.id
               WHERE u.id = ANY(%(ids)s) AND u.active
                 AND u.livechat_status = 'online'
                 AND (COALESCE(u.livechat_capacity, 0) = 0
                      OR COALESCE(l.load, 0) < u.livechat_capacity)""",
            {"ids": candidates.ids})
        available = {row[0] for row in self.env.cr.fetchall()}
        return candidates.filtered(lambda u: u.id in available)

    @api.model
    def _livechat_reserve_first(self, candidates):
        """The first of ``candidates`` (in order) who is Online and has room,
        with their row locked until commit; an empty recordset if none.

        One query finds who looks available; then the chosen operator's row
        is locked (an UPDATE, see livechat_routing_rule) and their load
        counted again under the lock, so concurrent routings to one operator
        are serialized and never exceed the capacity.
        """
        for user in self._livechat_available(candidates):
            self.env.cr.execute(
                """UPDATE res_users SET livechat_last_routed = now() AT TIME ZONE 'UTC'
                   WHERE id = %s AND active AND livechat_status = 'online'
                   RETURNING livechat_capacity""", (user.id,), log_exceptions=False)
            row = self.env.cr.fetchone()
            if not row:
                continue
            capacity = row[0]
            if not capacity or self._livechat_loads(user).get(user.id, 0) < capacity:
                return user
        return self.browse()

    def _livechat_offer_queued(self):
        """Give this operator queued sessions of their chats, oldest first,
        while they are Online and below their capacity."""
        self.ensure_one()
        if not self.livechat_capacity or self.livechat_status != "online":
            return
        Session = self.env["livechat.session"].sudo()
        chats = self.env["livechat.chat"].sudo().search([]).filtered(
            lambda c: c._is_operator(self))
        while chats and self._livechat_reserve_first(self):
            queued = Session.search([
                ("chat_id", "in", chats.ids), ("state", "=", "queued"),
                ("is_spam", "=", False), "|", ("group_id", "=", False),
                ("group_id", "in", self.groups_id.ids),
            ], order="first_message_date, id", limit=1)
            if not queued or not queued._take_for(self):
                return
