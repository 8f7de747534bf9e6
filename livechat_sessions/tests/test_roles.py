# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who may act on whose session: the table of livechat_session.py's
docstring and SECURITY.md, tried cell by cell."""
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import LivechatCase

Y, N = True, False

#: action -> allowed for (operator on their own session, operator on a
#: queued one, operator on a colleague's, supervisor on a colleague's,
#: reader on any)
TABLE = {
    # Taking is for queued sessions; supervisors move active ones by assign.
    "take": (N, Y, N, N, N),
    "reply": (Y, Y, N, Y, N),
    "priority": (Y, Y, N, Y, N),
    "spam": (Y, Y, N, Y, N),
    "unspam": (Y, Y, N, Y, N),
    "lock": (Y, Y, N, Y, N),
    "unlock": (N, N, N, Y, N),
    # Operators hand their own sessions on (to a colleague, or a group with
    # the expertise); supervisors assign any.
    "assign": (Y, N, N, Y, N),
    "close": (Y, N, N, Y, N),
}
CELLS = ("own", "queued", "colleague", "supervisor", "reader")


class TestRoles(LivechatCase):

    def setUp(self):
        super(TestRoles, self).setUp()
        self.sessions = {
            "own": self.receive("mine", account="r-own").session_id,
            "queued": self.receive("queued", account="r-queued").session_id,
            "colleague": self.receive("theirs", account="r-theirs").session_id,
        }
        self.sessions["own"].sudo(self.operator).action_take()
        self.sessions["colleague"].sudo(self.operator2).action_take()
        self.sessions["supervisor"] = self.sessions["colleague"]
        self.sessions["reader"] = self.sessions["own"]
        self.env["livechat.blocklist.rule"].create(
            {
                "name": "Earlier lock",
                "rule_type": "account",
                "account_id": self.sessions["colleague"].account_id.id,
                "user_id": self.supervisor.id,
            }
        )

    def _do(self, action, session):
        if action == "take":
            # A take of an active session is a clear refusal too: the cell
            # asks whether the *role* may take it.
            session.action_take()
        elif action == "reply":
            session.reply("Hello")
        elif action == "priority":
            session.write({"priority": "3"})
        elif action == "spam":
            session.action_mark_spam()
        elif action == "unspam":
            session.action_unmark_spam()
        elif action == "lock":
            session.action_lock_account("Abuse")
        elif action == "unlock":
            session.action_unlock_account()
        elif action == "assign":
            session.action_assign(user_id=self.operator2.id)
        elif action == "close":
            session.action_close()

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_table(self):
        users = {
            "own": self.operator,
            "queued": self.operator,
            "colleague": self.operator,
            "supervisor": self.supervisor,
            "reader": self.reader,
        }
        wrong = []
        for action, allowed in sorted(TABLE.items()):
            for cell, expected in zip(CELLS, allowed):
                self.env.cr.execute("SAVEPOINT roles")
                session = self.sessions[cell].sudo(users[cell])
                try:
                    self._do(action, session)
                    outcome = Y
                except AccessError:
                    outcome = N
                except UserError as error:
                    # take on an active session: "already taken".
                    outcome = N if action == "take" else ("UserError", error.name)
                self.env.cr.execute("ROLLBACK TO SAVEPOINT roles")
                self.env["res.users"].invalidate_cache()  # the whole cache
                if outcome != expected:
                    wrong.append((action, cell, outcome, expected))
        self.assertEqual(len(TABLE) * len(CELLS), 45)
        self.assertFalse(
            wrong, "Unexpected outcomes (action, cell, got, " "expected): %s" % wrong
        )

    def test_the_clients_offer_exactly_what_the_table_allows(self):
        """``_user_rights`` (what the workspace and the session form show)
        agrees with the table, cell by cell: no button the server would
        refuse, none missing that it would allow."""
        users = {
            "own": self.operator,
            "queued": self.operator,
            "colleague": self.operator,
            "supervisor": self.supervisor,
            "reader": self.reader,
        }
        # right -> the actions of the table it stands for
        offered_by = {
            "take": ("take",),
            "close": ("close",),
            "handle": ("priority", "spam", "unspam", "lock"),
            "assign": ("assign",),
            "supervise": ("unlock",),
        }
        for index, cell in enumerate(CELLS):
            session = self.sessions[cell].sudo(users[cell])
            rights = session._user_rights()
            self.assertEqual(set(rights), set(offered_by))
            for right, actions in offered_by.items():
                for action in actions:
                    self.assertEqual(
                        rights[right], TABLE[action][index], (cell, right, action)
                    )
            # The form's fields say the same.
            self.assertEqual(session.user_can_take, rights["take"])
            self.assertEqual(session.user_can_close, rights["close"])
            self.assertEqual(session.user_can_handle, rights["handle"])
            self.assertEqual(session.user_can_supervise, rights["supervise"])

    def test_an_offline_operator_is_offered_nothing(self):
        self.operator.livechat_status = "offline"
        rights = self.sessions["own"].sudo(self.operator)._user_rights()
        self.assertEqual(set(rights.values()), {False})

    def test_operator_cannot_lift_a_supervisors_lock(self):
        colleague = self.sessions["colleague"]
        with self.assertRaises(AccessError):
            colleague.sudo(self.operator2).action_unlock_account()
        self.assertTrue(
            self.env["livechat.blocklist.rule"].search(
                [("account_id", "=", colleague.account_id.id)]
            )
        )

    def test_supervisor_of_another_chat_cannot_lift_this_chats_lock(self):
        rule = self.env["livechat.blocklist.rule"].create(
            {
                "name": "Chat A only",
                "rule_type": "pattern",
                "pattern": "x-*",
                "chat_id": self.chat_a.id,
            }
        )
        supervisor_b = self._user("sup_b", self.group_supervisor, self.leads_b)
        with self.assertRaises(AccessError):
            rule.sudo(supervisor_b).action_unlock()
        rule.sudo(self.supervisor).action_unlock()
        self.assertFalse(rule.active)

    def test_mark_seen_needs_read_access(self):
        with self.assertRaises(AccessError):
            self.sessions["own"].sudo(self.operator_b).action_mark_seen()
        self.sessions["own"].sudo(self.operator).action_mark_seen()
