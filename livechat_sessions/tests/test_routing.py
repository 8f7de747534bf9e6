# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.exceptions import ValidationError

from .common import LivechatCase


class TestRouting(LivechatCase):
    @classmethod
    def setUpClass(cls):
        super(TestRouting, cls).setUpClass()
        cls.operator3 = cls._user("op3_a", cls.group_operator, cls.team_a)
        cls.Rule = cls.env["livechat.routing.rule"]

    def rule(self, **vals):
        return self.Rule.create(
            dict(
                {"name": "Rule", "chat_id": self.chat_a.id, "group_id": self.team_a.id},
                **vals,
            )
        )

    def new_session(self, body="hello", account=None, **kwargs):
        self._n = getattr(self, "_n", 0) + 1
        return self.receive(
            body, account=account or "cust-%d" % self._n, **kwargs
        ).session_id

    # Default ------------------------------------------------------------------

    def test_without_rules_first_response_queue(self):
        session = self.new_session()
        self.assertEqual(
            (session.state, session.operator_id.id, session.group_id.id),
            ("queued", False, False),
        )

    # Conditions ------------------------------------------------------------------

    def test_conditions(self):
        session = self.new_session("I want a REFUND for order 42")
        session.account_id.partner_id = self.env["res.partner"].create(
            {"name": "Vip", "ref": "VIP"}
        )
        text = "I want a REFUND for order 42"
        monday_10 = datetime(2026, 11, 23, 10, 0)  # a Monday, UTC (chat tz UTC)
        cases = [
            ({"channel": "messenger"}, True),
            ({"channel": "mailbox"}, False),
            ({"text_contains": "invoice, refund"}, True),
            ({"text_contains": "invoice"}, False),
            ({"text_regex": r"order \d+"}, True),
            ({"text_regex": r"^order"}, False),
            ({"account_domain": "[('partner_id.ref', '=', 'VIP')]"}, True),
            ({"account_domain": "[('partner_id.ref', '=', 'GOLD')]"}, False),
            ({"hour_from": 9, "hour_to": 17}, True),
            ({"hour_from": 17, "hour_to": 9}, False),
            ({"hour_from": 22, "hour_to": 11}, True),  # over midnight
            ({"mon": False}, False),
            ({"queue_min": 1}, True),
            ({"queue_min": 5}, False),
        ]
        for vals, expected in cases:
            rule = self.rule(**vals)
            self.assertEqual(
                rule._matches(session, text, now=monday_10), expected, vals
            )

    def test_rule_validation(self):
        with self.assertRaises(ValidationError):
            self.rule(text_regex="([")
        with self.assertRaises(ValidationError):
            self.rule(account_domain="[('no_such_field', '=', 1)]")
        with self.assertRaises(ValidationError):
            self.rule(group_id=self.team_b.id)
        with self.assertRaises(ValidationError):
            self.rule(group_id=False)
        with self.assertRaises(ValidationError):
            self.rule(user_id=self.operator.id)  # and a group: one target only

    def test_first_matching_rule_wins(self):
        self.rule(
            name="billing",
            sequence=1,
            text_contains="invoice",
            strategy="queue",
            group_id=self.team_a.id,
        )
        self.rule(name="all", sequence=2, strategy="least_loaded")
        self.assertEqual(self.new_session("my invoice").group_id, self.team_a)
        self.assertEqual(self.new_session("hello").state, "active")

    # Strategies --------------------------------------------------------------------

    def test_group_queue(self):
        self.rule(strategy="queue")
        session = self.new_session()
        self.assertEqual((session.state, session.group_id), ("queued", self.team_a))

    def test_round_robin_skips_offline_operators(self):
        self.operator2.livechat_status = "offline"
        self.rule(strategy="round_robin")
        got = [self.new_session().operator_id for _i in range(4)]
        self.assertEqual(got, [self.operator, self.operator3] * 2)

    def test_least_loaded(self):
        self.rule(strategy="least_loaded")
        for _i in range(2):
            self.new_session()
        # Loads as routing reads them: Online operators with room, and their
        # active sessions.
        loads = self.env["res.users"]._livechat_available(
            (self.operator | self.operator2 | self.operator3).ids
        )
        self.assertEqual(sorted(loads.values()), [0, 1, 1])
        third = self.new_session()
        self.assertEqual(loads.get(third.operator_id.id, 0), 0)

    def test_single_operator_target_and_offline(self):
        self.Rule.create(
            {"name": "to op2", "chat_id": self.chat_a.id, "user_id": self.operator2.id}
        )
        self.assertEqual(self.new_session().operator_id, self.operator2)
        self.operator2.livechat_status = "offline"
        session = self.new_session()
        self.assertEqual((session.state, session.operator_id.id), ("queued", False))

    # Capacity ----------------------------------------------------------------------

    def test_capacity_and_automatic_offer(self):
        (self.operator | self.operator2 | self.operator3).write(
            {"livechat_capacity": 1}
        )
        self.rule(strategy="least_loaded")
        first, second, third = [self.new_session() for _i in range(3)]
        self.assertEqual(len((first | second | third).mapped("operator_id")), 3)
        fourth = self.new_session()
        self.assertEqual((fourth.state, fourth.operator_id.id), ("queued", False))
        # Capacity frees up: the operator is offered the next in line.
        holder = first.operator_id
        first.sudo(holder).action_close()
        fourth.invalidate_cache()
        self.assertEqual((fourth.state, fourth.operator_id), ("active", holder))

    def test_offline_operator_keeps_sessions_and_gets_no_new_ones(self):
        self.operator.livechat_capacity = 5
        self.Rule.create(
            {"name": "to op", "chat_id": self.chat_a.id, "user_id": self.operator.id}
        )
        held = self.new_session()
        self.assertEqual(held.operator_id, self.operator)
        self.env["res.users"].sudo(self.operator).livechat_set_status("offline")
        waiting = self.new_session()
        self.assertEqual(waiting.state, "queued")
        self.assertEqual(held.operator_id, self.operator)
        # Back Online: the queued session is offered at once.
        self.env["res.users"].sudo(self.operator).livechat_set_status("online")
        waiting.invalidate_cache()
        self.assertEqual(waiting.operator_id, self.operator)

    def test_spam_and_locked_accounts_are_never_routed(self):
        self.rule(strategy="least_loaded")
        self.env["livechat.blocklist.rule"].create(
            {"name": "spam", "rule_type": "pattern", "pattern": "bad-*"}
        )
        locked = self.new_session(account="bad-1")
        self.assertEqual((locked.is_spam, locked.operator_id.id), (True, False))
        self.operator.livechat_capacity = 1
        spam = self.new_session(account="cust-spam")
        spam.sudo().write({"state": "queued", "operator_id": False})
        spam.action_mark_spam()
        self.operator.livechat_status = "online"
        self.operator._livechat_offer_queued()
        spam.invalidate_cache()
        self.assertFalse(spam.operator_id)
