# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Move a session to another live chat.

A customer who wrote to Support about an order belongs with Sales: a
supervisor of both chats moves the session there. It joins the other
chat's queue and routing (its rules run on the customer's last message) with
its whole history; the first chat's team no longer sees it (unless they
are staff of the other chat too), and an internal note says who moved it
from where, with the reason given.

The customer notices nothing: the conversation keeps going through the way
they wrote in (``entry_chat_id``: the first chat's bot, number, inbox or
website chat), both ways, and their next message reaches the session where
it is now.

Settled by PostgreSQL: the customer's account is locked first (the way in
locks it too: a message arriving meanwhile waits, or commits first and is
moved with the session), then the session; the session's chat and state are
read again under the locks, so of two supervisors moving the same session
at the same moment, one moves it and the other is told where it went.
"""
from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    @api.multi
    def action_move(self, chat_id, note=None, from_chat_id=None):
        """Move this session to the live chat ``chat_id`` (see the module
        docstring); ``note``: why, kept in the internal note;
        ``from_chat_id``: the chat the user saw it in (the workspace sends
        it), so that a session a colleague moved meanwhile is not moved
        again unseen. Returns True."""
        self.ensure_one()
        self.check_access_rights("read")
        self.check_access_rule("read")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise ValidationError(_("Choose the live chat to move the session to."))
        if from_chat_id is not None and (
            not isinstance(from_chat_id, int) or isinstance(from_chat_id, bool)
        ):
            raise ValidationError(_("The session's live chat is named by its id."))
        if note is not None and not isinstance(note, str):
            raise ValidationError(_("The reason for a move is text."))
        session = self.sudo()
        target = self.env["livechat.chat"].sudo().browse(chat_id).exists()
        if not target or not target.active:
            raise UserError(_("Choose an active live chat to move the session to."))
        origin = session.chat_id
        self._check_staff(supervisor=True)
        if not (self._is_system() or target._is_supervisor(self.env.user)):
            raise AccessError(
                _(
                    "Only a supervisor of both %s and %s may move a session "
                    "between them."
                )
                % (origin.name, target.name)
            )
        cr = self.env.cr
        # The account first (the way in locks it too), then the session: a
        # race ends in a serialization failure that Odoo's RPC retries on a
        # fresh snapshot, where the checks below see the other's move.
        cr.execute(
            "SELECT id FROM livechat_account WHERE id = %s FOR UPDATE",
            (session.account_id.id,),
            log_exceptions=False,
        )
        cr.execute(
            "SELECT chat_id, state FROM livechat_session WHERE id = %s FOR UPDATE",
            (session.id,),
            log_exceptions=False,
        )
        locked_chat_id, state = cr.fetchone()
        session.invalidate_cache()
        if state == "closed":
            raise UserError(_("Session %s is closed.") % session.name)
        if locked_chat_id != origin.id or from_chat_id not in (None, origin.id):
            raise UserError(
                _("Session %s was moved to %s meanwhile.")
                % (session.name, session.chat_id.name)
            )
        if target == origin:
            raise UserError(
                _("Session %s is already in %s.") % (session.name, target.name)
            )
        self._move_rows(origin, target, note)
        return True

    def _move_rows(self, origin, target, note):
        """Put the session in ``target``'s queue, route it there and tell
        both teams (the session's row is locked)."""
        session = self.sudo()
        before = session._bus_values()
        previous_user = session.operator_id
        session.write(
            {
                "chat_id": target.id,
                "state": "queued",
                "operator_id": False,
                "group_id": False,
            }
        )
        Event = self.env["livechat.session.event"]
        if previous_user:
            Event._record(session, "transferred", previous_user)
        Event._record(session, "moved", self.env.user)
        text = _("Moved from %s to %s by %s") % (
            origin.name,
            target.name,
            self.env.user.name,
        )
        if note and note.strip():
            text = "%s: %s" % (text, note.strip())
        self.env["livechat.message"]._post_note(session, text)
        last_in = session.message_ids.filtered(lambda m: m.direction == "in").sorted(
            lambda m: (m.date, m.id)
        )[-1:]
        target._route(session, html2plaintext(last_in.body or ""))
        # The first chat's team: it left their lists (and the screen of
        # whoever had it open, unless they are staff of the other chat too).
        session._notify_staff(
            "livechat.session_moved",
            values=dict(before, to_chat_id=target.id, to_chat_name=target.name),
        )
        after = session._bus_values()
        session._notify_staff("livechat.session_new", values=after)
        session._inbox_new(after)
        if previous_user:
            # Their load dropped: offer them the next in line.
            previous_user._livechat_offer_queued()
