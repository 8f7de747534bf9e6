# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Employees as customers: an employee in a live chat's internal customer
groups writes to it from Odoo (the Live Chat menu of the systray) and reads
the answers live.

The conversation view of ``livechat_sessions`` is reused: this model gives it
the employee's own sessions (their internal account, never anybody else's),
and replies go through the one way in as customer messages.
"""

import base64

from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.livechat_sessions.models.livechat_conversation import (
    PRESENCE_STATES,
)
from odoo.addons.livechat_sessions.tools.transaction import run_with_retry


class LivechatInternal(models.AbstractModel):
    _name = "livechat.internal"
    _inherit = "livechat.conversation"
    _description = "Live Chat for Employees"

    def _my_chats(self):
        user = self.env.user
        return (
            self.env["livechat.chat"]
            .sudo()
            .search([])
            .filtered(lambda chat: chat.customer_group_ids & user.groups_id)
        )

    def _my_account(self):
        return (
            self.env["livechat.account"]
            .sudo()
            .search(
                [("channel", "=", "internal"), ("user_id", "=", self.env.uid)],
                limit=1,
            )
        )

    def _no_access_reason(self):
        if not self._my_chats():
            return _("No live chat lists you among its internal customers.")
        return None

    @api.model
    def _session(self, session_id):
        session = (
            self.env["livechat.session"]
            .sudo()
            .browse(self._id(session_id, "session"))
            .exists()
        )
        if (
            not session
            or session.channel != "internal"
            # The account's employee, which no client can write (its
            # external id is the same user id, but the employee is what
            # the account is checked against).
            or session.account_id.user_id.id != self.env.uid
        ):
            raise AccessError(_("This conversation is not yours."))
        return session

    def _can_reply(self, session):
        # The chat the employee wrote to, also once the session moved.
        chat = session._way_in()
        if chat not in self._my_chats():
            return False, _("You are no longer an internal customer of %s.") % (
                chat.name
            )
        return True, None

    @api.model
    def _format_sessions(self, sessions):
        rows = super(LivechatInternal, self)._format_sessions(sessions)
        shown = {session.id: session.chat_id.show_operator_name for session in sessions}
        for row in rows:
            if not shown.get(row["id"]):
                # Not the operator's name unless the chat shows it.
                row["operator_id"] = False
        return rows

    @api.model
    def _format_messages(self, messages):
        rows = super(LivechatInternal, self)._format_messages(messages)
        by_id = {message.id: message for message in messages}
        for row in rows:
            message = by_id[row["id"]]
            if row["direction"] == "in":
                row["author"] = message.author_account_id.name
            elif not message.chat_id.show_operator_name:
                # The chat answers under its own name (and without the
                # operator's picture) unless it shows its operators' names.
                row["author"] = message.chat_id.name
                row["avatar"] = False
        return rows

    # The employee is the customer here: the staff's internal notes are
    # neither shown to them nor theirs to write.
    _shows_notes = False

    @api.model
    def add_note(self, session_id, body):
        raise AccessError(_("Internal notes are for the live chat's staff."))

    @api.model
    def set_presence(self, session_id, state, reply=False):
        """The employee writing in their own session: its staff see them
        typing (``livechat.presence`` marked ``customer``). Their viewing
        and leaving are nobody's business: accepted and not told."""
        if state not in PRESENCE_STATES:
            raise ValidationError(
                _("Presence is one of %s.") % ", ".join(PRESENCE_STATES)
            )
        session = self._session(session_id)
        if state == "typing" and session.state != "closed":
            session._notify_presence(
                {
                    "customer": True,
                    "name": session.account_id.name,
                    "state": "typing",
                }
            )
        return True

    @api.model
    def _format_events(self, session, since):
        # Who assigned the session to whom is the staff's business, not the
        # employee writing in.
        return []

    # RPC ---------------------------------------------------------------------

    @api.model
    def my_chats(self):
        """The live chats the employee may write to, with their open session
        and the count of replies since they last looked."""
        account = self._my_account()
        result = []
        for chat in self._my_chats():
            session = account and self.env["livechat.session"].sudo().search(
                [
                    ("entry_chat_id", "=", chat.id),
                    ("account_id", "=", account.id),
                    ("state", "!=", "closed"),
                ],
                limit=1,
            )
            result.append(
                {
                    "id": chat.id,
                    "name": chat.name,
                    "session_id": session.id if session else False,
                }
            )
        return result

    @api.model
    def start(self, chat_id, body, attachment_ids=None):
        """The employee's first message to a chat (or one to a chat whose
        session was closed); returns the session's id."""
        chat = self.env["livechat.chat"].sudo().browse(self._id(chat_id, "live chat"))
        if chat not in self._my_chats():
            raise AccessError(_("You are not an internal customer of this live chat."))
        return self._post(chat, body, attachment_ids)["session_id"]

    @api.model
    def reply(
        self, session_id, body, attachment_ids=None, quote_id=None, via_account_id=None
    ):
        if via_account_id:
            raise AccessError(_("An employee writes from Odoo only."))
        session = self._session(session_id)
        can_reply, reason = self._can_reply(session)
        if not can_reply:
            raise AccessError(reason)
        return self._post(session._way_in(), body, attachment_ids, session)

    def _post(self, chat, body, attachment_ids, session=None):
        user = self.env.user
        attachments = self.env["livechat.message"]._own_uploads(session, attachment_ids)
        files = [
            {
                "name": a.datas_fname or a.name,
                "mimetype": a.mimetype,
                "datas": a.sudo().datas or base64.b64encode(b""),
            }
            for a in attachments
        ]
        account = {
            "external_id": str(user.id),
            "name": user.name,
            "user_id": user.id,
            "partner_id": user.partner_id.id,
        }
        chat_id = chat.id
        Internal = self

        def work(env):
            message = (
                env["livechat.chat"]
                .browse(chat_id)
                ._receive_message("internal", account, body, attachments=files)
            )
            return Internal.with_env(env(user=user.id))._format_messages(
                message.sudo()
            )[0]

        return run_with_retry(self.env.registry, work)

    def _notify_employee(self, message):
        """A reply to an employee, on their own partner's bus channel: the
        message as their window renders it (``complete``: it shows without
        asking the server)."""
        employee = message.session_id.account_id.user_id
        if employee.partner_id:
            row = self.with_env(self.env(user=employee.id))._format_messages(
                message.sudo()
            )[0]
            self.env["bus.bus"].sendone(
                (self.env.cr.dbname, "res.partner", employee.partner_id.id),
                {
                    "type": "livechat.internal_message",
                    "session_id": message.session_id.id,
                    "chat_id": message.session_id._way_in().id,
                    "message": self.env["livechat.message"]._bus_sized(
                        dict(row, complete=True)
                    ),
                },
            )
