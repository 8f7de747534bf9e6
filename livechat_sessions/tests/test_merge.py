# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Merging two sessions of one customer: what moves, who may, and two
people merging at once."""
from odoo.exceptions import AccessError, UserError

from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase


class TestMerge(LivechatCase):
    def setUp(self):
        super(TestMerge, self).setUp()
        self.chat_a.bind_model_ids = self.env.ref("base.model_res_partner")
        self.contact = self.env["res.partner"].create({"name": "Ann Customer"})
        # Ann writes on the messenger, then by email: two accounts of one
        # contact, two sessions.
        self.first = self.receive("My order is late", account="ann-m")
        self.second = self.receive(
            "Any news on my order?", channel="mailbox", account="ann@example.com"
        )
        self.target = self.first.session_id
        self.source = self.second.session_id
        (self.target.account_id | self.source.account_id).write(
            {"partner_id": self.contact.id}
        )
        for session in (self.target, self.source):
            if session.state == "queued":
                session.sudo(self.operator).action_take()
        self.Binding = self.env["livechat.session.binding"]
        for session in (self.target, self.source):
            self.Binding.create(
                {
                    "session_id": session.id,
                    "res_model": "res.partner",
                    "res_id": self.contact.id,
                }
            )
        self.other_record = self.env["res.partner"].create({"name": "Order 7"})
        self.Binding.create(
            {
                "session_id": self.source.id,
                "res_model": "res.partner",
                "res_id": self.other_record.id,
            }
        )

    def test_the_other_session_moves_in_and_closes_with_a_link(self):
        candidates = self.target.sudo(self.operator).get_merge_candidates()
        self.assertEqual([c["id"] for c in candidates], [self.source.id])
        self.target.sudo(self.operator).action_merge(self.source.id)
        messages = self.target.message_ids
        self.assertEqual(
            [m.body for m in messages if m.direction == "in"],
            ["<p>My order is late</p>", "<p>Any news on my order?</p>"],
        )
        self.assertEqual(messages.sorted("date").ids, messages.ids, "time order")
        # Each record once.
        self.assertEqual(
            sorted(self.target.binding_ids.mapped("res_id")),
            sorted([self.contact.id, self.other_record.id]),
        )
        self.assertFalse(self.source.binding_ids)
        self.assertEqual(self.source.state, "closed")
        self.assertEqual(self.source.merged_into_id, self.target)
        self.assertEqual(self.target.state, "active")
        # Both say who merged what, for the staff only.
        [note] = self.target.message_ids.filtered(lambda m: m.direction == "note")
        self.assertIn(self.operator.name, note.body)
        self.assertIn(self.source.name, note.body)
        self.assertEqual(
            self.source.message_ids.mapped("direction"), ["note"], "only its note"
        )
        self.assertIn(
            "merged",
            self.env["livechat.session.event"]
            .search([("session_id", "=", self.source.id)])
            .mapped("event"),
        )
        # A merged session is no abandoned one.
        report = self.env["livechat.report.chat"].search([("id", "=", self.source.id)])
        self.assertEqual(report.abandoned, 0)
        # Nothing is offered twice.
        self.assertFalse(self.target.sudo(self.operator).get_merge_candidates())
        with self.assertRaisesRegex(UserError, "already merged"):
            self.target.sudo(self.operator).action_merge(self.source.id)

    def test_business_process_runs_move_with_it(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Follow up",
                "model_id": self.env.ref("livechat_sessions.model_livechat_session").id,
                "state": "code",
                "code": "True",
            }
        )
        log = self.env["livechat.session.process.log"].create(
            {
                "session_id": self.source.id,
                "action_id": action.id,
                "event": "close",
                "state": "done",
            }
        )
        self.target.sudo(self.supervisor).action_merge(self.source.id)
        self.assertEqual(log.session_id, self.target)

    def test_refusals(self):
        # Another customer.
        bob = self.receive("I am Bob", account="bob").session_id
        if bob.state == "queued":
            bob.sudo(self.operator).action_take()
        with self.assertRaisesRegex(UserError, "not of the same customer"):
            self.target.sudo(self.operator).action_merge(bob.id)
        # Bad input.
        for bad in (None, "3", True, self.target.id, 0, 10**9):
            with self.assertRaises(UserError, msg=repr(bad)):
                self.target.sudo(self.operator).action_merge(bad)
        # Into a closed session.
        self.target.sudo(self.operator).action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.target.sudo(self.operator).action_merge(self.source.id)
        self.assertFalse(self.target.sudo(self.operator).get_merge_candidates())
        self.assertEqual(self.source.state, "active")

    def test_who_may_merge(self):
        # A colleague whose session is one of the two, not the other.
        self.target.operator_id = self.operator2
        with self.assertRaisesRegex(AccessError, "only sessions you handle"):
            self.target.sudo(self.operator2).action_merge(self.source.id)
        self.assertFalse(self.target.sudo(self.operator2).get_merge_candidates())
        self.target.operator_id = self.operator
        for user in (self.reader, self.outsider, self.operator_b):
            with self.assertRaises(AccessError, msg=user.login):
                self.target.sudo(user).action_merge(self.source.id)
            with self.assertRaises(AccessError, msg=user.login):
                self.target.sudo(user).get_merge_candidates()
        self.assertFalse(self.source.merged_into_id)
        # Offline, an operator views only: nothing is offered, merging is
        # refused with the reason.
        self.operator.livechat_status = "offline"
        self.assertEqual(self.target.sudo(self.operator).get_merge_candidates(), [])
        with self.assertRaisesRegex(UserError, "Online"):
            self.target.sudo(self.operator).action_merge(self.source.id)
        self.operator.livechat_status = "online"
        # The chat's supervisor may.
        self.target.sudo(self.supervisor).action_merge(self.source.id)
        self.assertEqual(self.source.merged_into_id, self.target)

    def test_across_chats_only_a_supervisor_of_both(self):
        elsewhere = self.receive(
            "Hello from chat B", chat=self.chat_b, account="ann-m"
        ).session_id
        with self.assertRaisesRegex(AccessError, "supervisor of both"):
            self.target.sudo(self.operator).action_merge(elsewhere.id)
        with self.assertRaises(AccessError):
            self.target.sudo(self.supervisor).action_merge(elsewhere.id)
        self.assertNotIn(
            elsewhere.id,
            [c["id"] for c in self.target.sudo(self.supervisor).get_merge_candidates()],
        )
        self.supervisor.groups_id |= self.chat_b.supervisor_group_ids
        self.target.sudo(self.supervisor).action_merge(elsewhere.id)
        self.assertEqual(elsewhere.merged_into_id, self.target)
        self.assertIn(
            "Hello from chat B", " ".join(self.target.message_ids.mapped("body"))
        )


class TestMergeRace(CommittedChatCase):
    """Two supervisors merge the same two sessions in opposite directions at
    the same moment: one merge happens, the other is refused."""

    def test_two_opposite_merges_at_once(self):
        def open_session(account, body):
            message_id = self.commit_message(account, body)
            with self.registry.cursor() as cr:
                cr.execute(
                    "SELECT session_id FROM livechat_message WHERE id = %s",
                    (message_id,),
                )
                return cr.fetchone()[0]

        # Two open halves of one conversation: two accounts of one contact.
        first = open_session("racer-merge-1-%s" % self.tag, "One")
        second = open_session("racer-merge-2-%s" % self.tag, "Two")

        def bind(env):
            partner = env["res.partner"].create({"name": "Racer %s" % self.tag})
            env["livechat.session"].browse([first, second]).mapped("account_id").write(
                {"partner_id": partner.id}
            )

            # The one merging supervises the chat (its team is the chat's
            # supervisor group; the role lets them read every session).
            env["res.users"].browse(self.operator_ids[0]).groups_id |= env.ref(
                "livechat_sessions.group_livechat_supervisor"
            )

        run_with_retry(self.registry, bind)

        def merge(target, source):
            def work(env):
                env["livechat.session"].browse(target).action_merge(source)
                return "merged"

            return work

        results = self.race(
            merge(first, second), merge(second, first), uid=self.operator_ids[0]
        )
        self.assertEqual(results.count("merged"), 1, results)
        [refusal] = [r for r in results if r != "merged"]
        self.assertIsInstance(refusal, UserError)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, merged_into_id FROM livechat_session "
                "WHERE id IN %s AND merged_into_id IS NOT NULL",
                ((first, second),),
            )
            [(state, merged_into)] = cr.fetchall()
            self.assertEqual(state, "closed")
            cr.execute(
                "SELECT count(*) FROM livechat_message m WHERE m.session_id = %s "
                "AND m.direction = 'in'",
                (merged_into,),
            )
            self.assertEqual(cr.fetchone()[0], 2, "both messages, once")
