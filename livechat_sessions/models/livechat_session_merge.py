# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Merge two sessions of one customer into one.

A customer who writes from two channels, or opens a second session before
the first is answered, leaves two halves of one conversation. Merging the
other session into the one on screen moves its messages (they show in time
order: conversations are read by date), its record links (each record
once), its business processes' runs and, with livechat_channels, its
replies scheduled for later; the other session is closed, with a link to
the merged one, and both get an internal note saying who merged what.

One customer: the same account, or two accounts bound to the same contact.
Who: a supervisor of the sessions' chat, or an operator who handles both
sessions (their own or queued for them); across two live chats, only a
supervisor of both. The merged session keeps its own account and channel:
replies go where it talks to the customer.

Settled by PostgreSQL: the customers' accounts are locked first (the way in
locks them too: a message arriving meanwhile waits, or commits first and is
moved with the others), then both sessions; what was checked is checked
again under the locks, so of two people merging the same sessions at the
same moment, one merges and the other is told why not.
"""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    merged_into_id = fields.Many2one(
        "livechat.session",
        "Merged into",
        readonly=True,
        index=True,
        ondelete="set null",
        help="This session's messages were moved into that one.",
    )

    # Which sessions ---------------------------------------------------------

    def _same_customer_domain(self):
        """The sessions of this session's customer: its account's, and those
        of the other accounts of its contact."""
        self.ensure_one()
        session = self.sudo()
        if session.account_id.partner_id:
            return [
                "|",
                ("account_id", "=", session.account_id.id),
                ("account_id.partner_id", "=", session.account_id.partner_id.id),
            ]
        return [("account_id", "=", session.account_id.id)]

    def _may_merge(self, source, user):
        """Whether ``user`` may merge ``source`` into ``self`` (both sudo):
        a supervisor of both chats, or, in one chat, an operator who handles
        both sessions."""
        chats = self.chat_id | source.chat_id
        if all(chat._is_supervisor(user) for chat in chats):
            return True
        if len(chats) > 1:
            return False
        for session in self | source:
            if session.operator_id == user:
                continue
            if (
                session.state == "queued"
                and not session.operator_id
                and chats._is_operator(user)
                and (not session.group_id or session.group_id in user.groups_id)
            ):
                continue
            return False
        return True

    @api.multi
    def get_merge_candidates(self):
        """The sessions of this session's customer the user may merge into
        it (the workspace offers them), newest first."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        try:
            self._check_staff()
        except AccessError:
            raise
        except UserError:
            # Offline: the user views only; there is nothing to offer.
            return []
        target = self.sudo()
        if target.state == "closed":
            return []
        user = self.env.user
        candidates = self.sudo().search(
            self._same_customer_domain()
            + [("id", "!=", self.id), ("merged_into_id", "=", False)],
            order="last_message_date desc, id desc",
            limit=50,
        )
        return [
            {
                "id": session.id,
                "name": session.name,
                "chat": session.chat_id.name,
                "state": session.state,
                "last_message_date": session.last_message_date,
            }
            for session in candidates
            if self._is_system() or target._may_merge(session, user)
        ]

    # The merge --------------------------------------------------------------

    @api.multi
    def action_merge(self, source_id):
        """Merge the session ``source_id`` of the same customer into this
        one (see the module docstring). Returns True."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        self._check_staff()
        if not isinstance(source_id, int) or isinstance(source_id, bool):
            raise UserError(_("Choose the session to merge into this one."))
        target = self.sudo()
        source = target.browse(source_id).exists()
        if not source or source == target:
            raise UserError(_("Choose another session of this customer."))
        cr = self.env.cr
        # The accounts first, in id order (the way in locks them too), then
        # the sessions; both lose a race with a serialization failure that
        # Odoo's RPC retries on a fresh snapshot.
        cr.execute(
            """SELECT id FROM livechat_account WHERE id IN %s
               ORDER BY id FOR UPDATE""",
            (tuple({target.account_id.id, source.account_id.id}),),
            log_exceptions=False,
        )
        cr.execute(
            """SELECT id FROM livechat_session WHERE id IN %s
               ORDER BY id FOR UPDATE""",
            ((target.id, source.id),),
            log_exceptions=False,
        )
        (target | source).invalidate_cache()
        self._check_merge(source)
        self._merge_rows(source)
        return True

    def _check_merge(self, source):
        """Raise unless the current user may merge ``source`` into self now
        (read again under the locks)."""
        target = self.sudo()
        if target.state == "closed":
            raise UserError(
                _("Session %s is closed: merge into an open session.") % target.name
            )
        if source.merged_into_id:
            raise UserError(
                _("Session %s was already merged into %s.")
                % (source.name, source.merged_into_id.name)
            )
        if not source.search_count(
            self._same_customer_domain() + [("id", "=", source.id)]
        ):
            raise UserError(
                _(
                    "Sessions %s and %s are not of the same customer: merge "
                    "sessions of one account, or of accounts bound to one contact."
                )
                % (source.name, target.name)
            )
        if self._is_system() or target._may_merge(source, self.env.user):
            return
        if target.chat_id != source.chat_id:
            raise AccessError(
                _("Only a supervisor of both %s and %s may merge across them.")
                % (target.chat_id.name, source.chat_id.name)
            )
        raise AccessError(
            _(
                "You may merge only sessions you handle (yours, or queued for "
                "you); ask a supervisor of %s."
            )
            % target.chat_id.name
        )

    def _merge_rows(self, source):
        """Move what ``source`` holds into self, then close it."""
        target = self.sudo()
        cr = self.env.cr
        cr.execute(
            "UPDATE livechat_message SET session_id = %s WHERE session_id = %s",
            (target.id, source.id),
        )
        # Each record once on the merged session.
        cr.execute(
            """UPDATE livechat_session_binding b SET session_id = %(target)s
               WHERE b.session_id = %(source)s AND NOT EXISTS (
                   SELECT 1 FROM livechat_session_binding t
                   WHERE t.session_id = %(target)s
                     AND t.res_model = b.res_model AND t.res_id = b.res_id)""",
            {"target": target.id, "source": source.id},
        )
        cr.execute(
            "DELETE FROM livechat_session_binding WHERE session_id = %s",
            (source.id,),
        )
        cr.execute(
            "UPDATE livechat_session_process_log SET session_id = %s "
            "WHERE session_id = %s",
            (target.id, source.id),
        )
        cr.execute(
            """UPDATE livechat_session t SET
                   first_message_date = LEAST(t.first_message_date,
                                              s.first_message_date),
                   last_message_date = GREATEST(t.last_message_date,
                                                s.last_message_date)
               FROM livechat_session s WHERE t.id = %s AND s.id = %s""",
            (target.id, source.id),
        )
        self._merge_more(source)
        values = {"merged_into_id": target.id}
        was_open = source.state != "closed"
        if was_open:
            values.update(source._closing_values())
        source.write(values)
        self.env["livechat.session.event"]._record(source, "merged", self.env.user)
        self.env["livechat.session"].invalidate_cache()
        self.env["livechat.message"].invalidate_cache(["session_id"])
        Message = self.env["livechat.message"]
        Message._post_note(
            target,
            _("%s merged session %s into this one.")
            % (self.env.user.name, source.name),
        )
        Message._post_note(
            source,
            _("%s merged this session into %s.") % (self.env.user.name, target.name),
        )
        if was_open:
            source._notify_staff("livechat.session_closed")
        # Their open conversations read both again.
        for session in target | source:
            values = session._bus_values()
            self.env["bus.bus"]._livechat_notify(
                dict(values, type="livechat.conversation_changed"),
                **session._audience(values),
            )

    def _merge_more(self, source):
        """Hook: what other addons keep on a session (livechat_channels:
        replies scheduled for later)."""
        return True
