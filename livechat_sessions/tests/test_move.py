# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Moving a session to another live chat: who may, what it joins there,
where the customer's next message goes, and two supervisors moving at
once."""
import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase


class TestMove(LivechatCase):
    def setUp(self):
        super(TestMove, self).setUp()
        # Sally supervises both chats; Oscar operates chat A only.
        self.supervisor.groups_id |= self.leads_b
        self.message = self.receive("I want to buy 40 licences")
        self.session = self.message.session_id
        self.session.sudo(self.operator).action_take()

    def test_the_session_joins_the_other_chats_queue_with_its_history(self):
        self.session.sudo(self.supervisor).action_move(
            self.chat_b.id, note="A sales question"
        )
        session = self.session
        self.assertEqual(session.chat_id, self.chat_b)
        self.assertEqual(session.entry_chat_id, self.chat_a)
        self.assertEqual(
            (session.state, session.operator_id.id, session.group_id.id),
            ("queued", False, False),
        )
        self.assertIn(self.message, session.message_ids)
        [note] = session.message_ids.filtered(lambda m: m.direction == "note")
        self.assertIn(
            "Moved from Chat A to Chat B by Sup A: A sales question", note.body
        )
        self.assertIn(
            "moved",
            self.env["livechat.session.event"]
            .search([("session_id", "=", session.id)])
            .mapped("event"),
        )
        # Chat B's operators see it in their queue; chat A's no longer
        # read it (the record rules follow the session's chat).
        self.assertTrue(
            self.env["livechat.session"]
            .sudo(self.operator_b)
            .search([("id", "=", session.id), ("state", "=", "queued")])
        )
        self.assertFalse(
            self.env["livechat.session"]
            .sudo(self.operator)
            .search([("id", "=", session.id)])
        )
        # Both teams were told: chat A's that it left for chat B.
        [moved] = [
            p
            for p in self.bus_payloads(self.operator.partner_id)
            if p["type"] == "livechat.session_moved"
        ]
        self.assertEqual(
            (moved["session_id"], moved["chat_id"], moved["to_chat_id"]),
            (session.id, self.chat_a.id, self.chat_b.id),
        )
        self.assertIn(
            "livechat.session_new",
            [p["type"] for p in self.bus_payloads(self.operator_b.partner_id)],
        )

    def test_the_customers_next_message_reaches_the_moved_session(self):
        self.session.sudo(self.supervisor).action_move(self.chat_b.id)
        # The customer writes again through chat A's way in (its bot).
        follow_up = self.receive("Any discount?")
        self.assertEqual(follow_up.session_id, self.session)
        self.assertEqual(follow_up.chat_id, self.chat_b)
        self.assertEqual(
            self.env["livechat.session"].search_count(
                [("account_id", "=", self.session.account_id.id)]
            ),
            1,
            "no second session in chat A",
        )
        # Chat B's operator answers it.
        self.session.sudo(self.operator_b).action_take()
        self.session.sudo(self.operator_b).reply("Yes, 10 %")
        # Closed, the next message opens a new session where the customer
        # wrote: chat A.
        self.session.sudo(self.operator_b).action_close()
        again = self.receive("One more thing")
        self.assertNotEqual(again.session_id, self.session)
        self.assertEqual(again.session_id.chat_id, self.chat_a)

    def test_chat_b_routing_runs_on_the_moved_session(self):
        self.env["livechat.routing.rule"].create(
            {
                "name": "Licences to Ben",
                "chat_id": self.chat_b.id,
                "text_contains": "licences",
                "user_id": self.operator_b.id,
                "strategy": "round_robin",
            }
        )
        self.session.sudo(self.supervisor).action_move(self.chat_b.id)
        self.assertEqual(self.session.operator_id, self.operator_b)
        self.assertEqual(self.session.state, "active")

    def test_only_a_supervisor_of_both_chats_moves_a_session(self):
        with self.assertRaises(AccessError):
            self.session.sudo(self.operator).action_move(self.chat_b.id)
        self.supervisor.groups_id -= self.leads_b
        with self.assertRaisesRegex(AccessError, "supervisor of both"):
            self.session.sudo(self.supervisor).action_move(self.chat_b.id)
        self.assertEqual(self.session.chat_id, self.chat_a)
        self.supervisor.groups_id |= self.leads_b
        for bad in ("2", None, True, [self.chat_b.id]):
            with self.assertRaises(ValidationError):
                self.session.sudo(self.supervisor).action_move(bad)
        with self.assertRaises(UserError):
            self.session.sudo(self.supervisor).action_move(10**9)
        with self.assertRaisesRegex(UserError, "already in"):
            self.session.sudo(self.supervisor).action_move(self.chat_a.id)
        self.chat_b.active = False
        with self.assertRaisesRegex(UserError, "active live chat"):
            self.session.sudo(self.supervisor).action_move(self.chat_b.id)
        self.chat_b.active = True
        self.session.sudo(self.operator).action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.session.sudo(self.supervisor).action_move(self.chat_b.id)

    def test_nobody_sets_the_way_in_by_hand(self):
        with self.assertRaises(AccessError):
            self.session.sudo(self.supervisor).write({"entry_chat_id": self.chat_b.id})
        account = self.env["livechat.account"].create(
            {"channel": "messenger", "external_id": "tg-new", "name": "Bea"}
        )
        created = (
            self.env["livechat.session"]
            .sudo(self.operator)
            .create(
                {
                    "chat_id": self.chat_a.id,
                    "account_id": account.id,
                    "entry_chat_id": self.chat_b.id,
                }
            )
        )
        self.assertEqual(created.entry_chat_id, self.chat_a)


class TestMoveRace(CommittedChatCase):
    """Two supervisors move the same session to two chats at the same
    moment: one move happens, the other is told where it went."""

    targets = ()

    def tearDown(self):
        # Before the case's own cleanup: a moved session keeps its way in,
        # the race's chat, which cannot go before it.
        def cleanup(env):
            sessions = env["livechat.session"].search(
                [("entry_chat_id", "=", self.chat_id)]
            )
            accounts = sessions.mapped("account_id")
            sessions.unlink()
            accounts.unlink()
            env["livechat.chat"].browse(self.targets).unlink()

        run_with_retry(self.registry, cleanup)
        super(TestMoveRace, self).tearDown()

    def test_two_moves_at_once(self):
        message_id = self.commit_message("racer-move-%s" % self.tag, "Hello")

        def setup(env):
            team = env["res.groups"].browse(
                env["livechat.chat"].browse(self.chat_id).supervisor_group_ids.ids
            )
            chats = [
                env["livechat.chat"]
                .create(
                    {
                        "name": "Race target %d %s" % (i, self.tag),
                        "operator_group_ids": [(6, 0, team.ids)],
                        "supervisor_group_ids": [(6, 0, team.ids)],
                    }
                )
                .id
                for i in (1, 2)
            ]
            session = env["livechat.message"].browse(message_id).session_id
            return session.id, chats

        session_id, targets = run_with_retry(self.registry, setup)
        self.targets = targets

        def move(target):
            def work(env):
                # Each saw it in the race's chat.
                env["livechat.session"].browse(session_id).action_move(
                    target, from_chat_id=self.chat_id
                )
                return "moved"

            return work

        results = self.race(
            move(targets[0]), move(targets[1]), uid=self.operator_ids[0]
        )
        self.assertEqual(results.count("moved"), 1, results)
        [refusal] = [r for r in results if r != "moved"]
        self.assertIsInstance(refusal, UserError)
        self.assertNotIsInstance(refusal, psycopg2.Error)
        self.assertIn("was moved to", refusal.name)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT chat_id, entry_chat_id FROM livechat_session WHERE id = %s",
                (session_id,),
            )
            chat_id, entry_chat_id = cr.fetchone()
            self.assertEqual(chat_id, targets[results.index("moved")])
            self.assertEqual(entry_chat_id, self.chat_id)
            cr.execute(
                "SELECT count(*) FROM livechat_message WHERE session_id = %s "
                "AND direction = 'note'",
                (session_id,),
            )
            self.assertEqual(cr.fetchone()[0], 1, "one move, one note")
