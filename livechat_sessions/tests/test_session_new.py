# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError

from .common import LivechatCase


class TestSessionNew(LivechatCase):
    """+New session: an operator writes first to a customer's account."""

    def setUp(self):
        super(TestSessionNew, self).setUp()
        # A customer known from an earlier, closed session.
        session = self.receive("Hello", account="tg-77", name="Zoe").session_id
        session.sudo(self.operator).action_take()
        session.sudo(self.operator).action_close()
        self.account = session.account_id

    def start(self, user, body="Your order has shipped.", chat=None):
        wizard = (
            self.env["livechat.session.new"]
            .sudo(user)
            .create(
                {
                    "chat_id": (chat or self.chat_a).id,
                    "account_id": self.account.id,
                    "body": body,
                }
            )
        )
        return wizard.action_start()

    def test_operator_starts_a_session_and_writes_first(self):
        action = self.start(self.operator)
        self.assertEqual(action["tag"], "livechat_workspace")
        session = self.env["livechat.session"].browse(action["params"]["session_id"])
        self.assertEqual(
            (session.state, session.operator_id, session.account_id),
            ("active", self.operator, self.account),
        )
        self.assertEqual(action["params"]["chat_id"], self.chat_a.id)
        out = session.message_ids
        self.assertEqual(out.mapped("direction"), ["out"])
        self.assertIn("Your order has shipped.", out.body)
        self.assertEqual(out.author_user_id, self.operator)
        # The customer's earlier session is its history.
        self.assertEqual(len(session.history_session_ids), 1)

    def test_refusals(self):
        self.operator.livechat_status = "offline"
        with self.assertRaises(UserError):  # Offline operators only view
            self.start(self.operator)
        self.operator.livechat_status = "online"
        with self.assertRaises(AccessError):  # not a chat they work in
            self.start(self.operator, chat=self.chat_b)
        with self.assertRaises(UserError):  # nothing to say
            self.start(self.operator, body="   ")
        self.start(self.operator)
        with self.assertRaises(UserError):  # already an open session
            self.start(self.operator2)
        # Nothing was left behind by the refusals.
        self.assertEqual(
            self.env["livechat.session"].search_count(
                [("account_id", "=", self.account.id), ("state", "!=", "closed")]
            ),
            1,
        )
