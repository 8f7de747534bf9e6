# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The whole access matrix: role x operation x own chat / other chat."""
from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from .common import LivechatCase

ALLOWED, DENIED = True, False

#: role -> operation -> (own chat, other chat)
MATRIX = {
    "operator": {
        "read": (ALLOWED, DENIED),
        "write": (ALLOWED, DENIED),
        "create": (ALLOWED, DENIED),
        "unlink": (DENIED, DENIED),
    },
    "supervisor": {
        "read": (ALLOWED, DENIED),
        "write": (ALLOWED, DENIED),
        "create": (ALLOWED, DENIED),
        "unlink": (DENIED, DENIED),
    },
    "reader": {
        "read": (ALLOWED, DENIED),
        "write": (DENIED, DENIED),
        "create": (DENIED, DENIED),
        "unlink": (DENIED, DENIED),
    },
    "outsider": {
        "read": (DENIED, DENIED),
        "write": (DENIED, DENIED),
        "create": (DENIED, DENIED),
        "unlink": (DENIED, DENIED),
    },
    "manager": {
        "read": (ALLOWED, ALLOWED),
        "write": (ALLOWED, ALLOWED),
        "create": (ALLOWED, ALLOWED),
        "unlink": (ALLOWED, ALLOWED),
    },
}


class TestAccessMatrix(LivechatCase):
    def setUp(self):
        super(TestAccessMatrix, self).setUp()
        # Own chat is A for every role above; B is the other chat.
        self.sessions = {
            "own": self.receive("in A", account="tg-a").session_id,
            "other": self.receive("in B", chat=self.chat_b, account="tg-b").session_id,
        }
        self.accounts = {
            "own": self.sessions["own"].account_id,
            "other": self.sessions["other"].account_id,
        }
        self.chats = {"own": self.chat_a, "other": self.chat_b}

    def _attempt(self, user, operation, where):
        session = self.sessions[where].sudo(user)
        if operation == "read":
            session.read(["name", "state"])
            session.message_ids.read(["body"])
        elif operation == "write":
            session.write({"priority": "2"})
        elif operation == "create":
            account = self.env["livechat.account"].create(
                {
                    "name": "New",
                    "channel": "mailbox",
                    "external_id": "%s-%s@example.com" % (user.login, where),
                }
            )
            self.env["livechat.session"].sudo(user).create(
                {"chat_id": self.chats[where].id, "account_id": account.id}
            )
        elif operation == "unlink":
            session.unlink()

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_matrix(self):
        results = []
        for role, operations in sorted(MATRIX.items()):
            user = getattr(self, role)
            for operation, expectations in sorted(operations.items()):
                for where, allowed in zip(("own", "other"), expectations):
                    # Every attempt starts from the same data: undo it,
                    # whether it succeeded or not.
                    self.env.cr.execute("SAVEPOINT access_matrix")
                    try:
                        self._attempt(user, operation, where)
                        outcome = ALLOWED
                    except (AccessError, UserError):
                        outcome = DENIED
                    self.env.cr.execute("ROLLBACK TO SAVEPOINT access_matrix")
                    self.env["livechat.session"].invalidate_cache()
                    results.append(((role, operation, where), outcome, allowed))
        wrong = [cell for cell, outcome, allowed in results if outcome != allowed]
        self.assertEqual(len(results), 5 * 4 * 2)
        self.assertFalse(wrong, "Unexpected access for: %s" % wrong)

    def test_operator_sees_queue_and_own_sessions_only(self):
        Session = self.env["livechat.session"]
        queued = self.sessions["own"]
        mine = self.receive("mine", account="tg-mine").session_id
        mine.sudo(self.operator).action_take()
        theirs = self.receive("theirs", account="tg-theirs").session_id
        theirs.sudo(self.operator2).action_take()
        visible = Session.sudo(self.operator).search([])
        self.assertIn(queued, visible)
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        self.assertNotIn(self.sessions["other"], visible)
        # The supervisor sees all of chat A, the reader reads all of chat A.
        for user in (self.supervisor, self.reader):
            self.assertEqual(Session.sudo(user).search([]), queued | mine | theirs)
        with self.assertRaises(AccessError):
            Session.sudo(self.outsider).search([])

    def test_group_assignment_makes_the_session_visible_to_the_group(self):
        session = self.sessions["own"]
        team = self.env["res.groups"].create(
            {"name": "Refunds", "users": [(4, self.operator2.id)]}
        )
        self.chat_a.operator_group_ids |= team
        session.sudo(self.supervisor).action_assign(group_id=team.id)
        self.assertIn(
            session, self.env["livechat.session"].sudo(self.operator2).search([])
        )
        self.assertNotIn(
            session, self.env["livechat.session"].sudo(self.operator).search([])
        )

    def test_messages_follow_their_session(self):
        Message = self.env["livechat.message"]
        own = self.sessions["own"].message_ids
        other = self.sessions["other"].message_ids
        self.assertEqual(Message.sudo(self.reader).search([]), own)
        self.assertEqual(Message.sudo(self.operator_b).search([]), other)
        with self.assertRaises(AccessError):
            other.sudo(self.reader).read(["body"])
