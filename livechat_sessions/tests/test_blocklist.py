# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.livechat_blocklist_rule import glob_to_like
from .common import LivechatCase


class TestBlocklist(LivechatCase):
    def _rule(self, **vals):
        return self.env["livechat.blocklist.rule"].create(
            dict({"name": "Test lock"}, **vals)
        )

    def _is_spam_session(self, account, **kwargs):
        message = self.receive("hello", account=account, **kwargs)
        return message.session_id.is_spam

    def test_locked_account_is_stored_as_spam_and_not_notified(self):
        account = self.receive("first", account="tg-bad").session_id.account_id
        first_session = account.session_ids
        self._rule(rule_type="account", account_id=account.id)
        # The open session became spam when the lock was set.
        self.assertTrue(first_session.is_spam)
        first_session.sudo().write({"state": "closed"})
        self.env.cr.execute("DELETE FROM bus_bus")
        message = self.receive("again", account="tg-bad")
        self.assertTrue(message.session_id.is_spam)
        self.assertNotEqual(message.session_id, first_session)
        self.assertIn("again", message.body)  # stored, nothing lost
        self.assertFalse(self.bus_payloads(self.operator.partner_id))
        self.assertEqual(self.chat_a.queued_count, 0)

    def test_contact_and_pattern_rules(self):
        partner = self.env["res.partner"].create({"name": "Mallory"})
        account = self.env["livechat.account"].create(
            {
                "name": "M",
                "channel": "messenger",
                "external_id": "tg-m",
                "partner_id": partner.id,
            }
        )
        self._rule(rule_type="partner", partner_id=partner.id)
        self.assertTrue(self._is_spam_session(account.external_id))
        self._rule(rule_type="pattern", pattern="*@SPAM.example", channel="mailbox")
        self.assertTrue(self._is_spam_session("bob@spam.example", channel="mailbox"))
        self.assertFalse(self._is_spam_session("bob@good.example", channel="mailbox"))
        # The pattern is for email only.
        self.assertFalse(self._is_spam_session("x@spam.example", channel="messenger"))

    def test_rule_scoped_to_a_chat(self):
        self._rule(rule_type="pattern", pattern="tg-9*", chat_id=self.chat_b.id)
        self.assertFalse(self._is_spam_session("tg-91"))
        self.assertTrue(self._is_spam_session("tg-91", chat=self.chat_b))

    def test_expiry_and_unlock(self):
        past = fields.Datetime.to_string(datetime.utcnow() - timedelta(hours=1))
        future = fields.Datetime.to_string(datetime.utcnow() + timedelta(hours=1))
        self._rule(rule_type="pattern", pattern="tg-old*", date_expiry=past)
        self.assertFalse(self._is_spam_session("tg-old-1"))
        rule = self._rule(rule_type="pattern", pattern="tg-new*", date_expiry=future)
        self.assertTrue(self._is_spam_session("tg-new-1"))
        rule.action_unlock()
        self.assertFalse(self._is_spam_session("tg-new-2"))

    def test_like_wildcards_are_literal(self):
        self.assertEqual(glob_to_like("a_b%c*d?"), "a\\_b\\%c%d_")
        self._rule(rule_type="pattern", pattern="100%_off*")
        self.assertFalse(self._is_spam_session("100xyoff-deal"))
        self.assertTrue(self._is_spam_session("100%_off-deal"))

    def test_rule_needs_a_target(self):
        with self.assertRaises(ValidationError):
            self._rule(rule_type="account")
        with self.assertRaises(ValidationError):
            self._rule(rule_type="pattern", pattern="**")

    def test_operator_locks_and_a_supervisor_unlocks_from_the_session(self):
        session = self.receive("abuse", account="tg-x").session_id
        as_operator = session.sudo(self.operator)
        with self.assertRaises(UserError):
            as_operator.action_lock_account("  ")
        rule_ids = as_operator.action_lock_account("Insults")
        rule = self.env["livechat.blocklist.rule"].browse(rule_ids)
        # By default, in the session's chat only.
        self.assertEqual(rule.chat_id, self.chat_a)
        self.assertEqual(
            (rule.account_id, rule.user_id), (session.account_id, self.operator)
        )
        self.assertTrue(session.is_spam)
        # Operators lock; lifting a lock is a supervisor's decision.
        with self.assertRaises(AccessError):
            as_operator.action_unlock_account()
        self.assertTrue(rule.active)
        session.sudo(self.supervisor).action_unlock_account()
        self.assertFalse(rule.active)
        session.sudo(self.operator).action_unmark_spam()
        self.assertFalse(session.is_spam)
        with self.assertRaises(AccessError):
            session.sudo(self.reader).action_lock_account("no")
        with self.assertRaises(AccessError):
            session.sudo(self.operator_b).action_lock_account("no")

    def test_the_lock_says_what_where_and_until_when(self):
        session = self.receive("abuse", account="x@spam.example").session_id
        other_chat = self.receive(
            "hi", chat=self.chat_b, account="x@spam.example"
        ).session_id
        as_operator = session.sudo(self.operator)
        # An operator locks in this chat only.
        with self.assertRaises(AccessError):
            as_operator.action_lock_account("Spam", scope="supervised")
        with self.assertRaises(UserError):
            as_operator.action_lock_account("Spam", date_expiry="next week")
        with self.assertRaises(UserError):
            as_operator.action_lock_account("Spam", lock="partner")  # no contact
        Rule = self.env["livechat.blocklist.rule"]
        [rule_id] = as_operator.action_lock_account(
            "Spam",
            lock="pattern",
            pattern="*@spam.example",
            date_expiry="2099-01-01 00:00:00",
        )
        rule = Rule.browse(rule_id)
        self.assertEqual(
            (
                rule.rule_type,
                rule.pattern,
                rule.chat_id,
                rule.channel,
                rule.date_expiry,
            ),
            (
                "pattern",
                "*@spam.example",
                self.chat_a,
                session.channel,
                "2099-01-01 00:00:00",
            ),
        )
        self.assertTrue(session.is_spam)
        self.assertFalse(other_chat.is_spam, "another chat is not locked")
        # A supervisor of both chats may lock in every chat they supervise.
        self.leads_b.users |= self.supervisor
        rule_ids = session.sudo(self.supervisor).action_lock_account(
            "Spam everywhere", scope="supervised"
        )
        self.assertEqual(
            set(Rule.browse(rule_ids).mapped("chat_id")), {self.chat_a, self.chat_b}
        )
        self.assertTrue(other_chat.is_spam)
