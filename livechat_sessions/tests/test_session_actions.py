# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from ..models import livechat_chat
from .common import LivechatCase


class TestSessionActions(LivechatCase):
    def setUp(self):
        super(TestSessionActions, self).setUp()
        self.message = self.receive("I need help", external_id="in-1")
        self.session = self.message.session_id

    def as_(self, user):
        return self.session.sudo(user)

    # Taking -------------------------------------------------------------------

    def test_take_assigns_the_operator(self):
        self.as_(self.operator).action_take()
        self.assertEqual(self.session.state, "active")
        self.assertEqual(self.session.operator_id, self.operator)
        self.assertEqual(self.chat_a.queued_count, 0)
        taken = [
            p
            for p in self.bus_payloads(self.operator2.partner_id)
            if p["type"] == "livechat.session_taken"
        ]
        self.assertEqual(taken[0]["queued"], 0)

    def test_second_taker_gets_a_clear_error(self):
        self.as_(self.operator).action_take()
        with self.assertRaisesRegex(UserError, "already taken by Op A"):
            self.as_(self.operator2).action_take()
        self.assertEqual(self.session.operator_id, self.operator)

    def test_operator_of_another_chat_cannot_take(self):
        with self.assertRaises(AccessError):
            self.session.sudo(self.operator_b).action_take()

    def test_spam_cannot_be_taken(self):
        self.session.action_mark_spam()
        with self.assertRaises(UserError):
            self.as_(self.operator).action_take()

    # Offline ------------------------------------------------------------------

    def test_offline_operator_can_only_view(self):
        self.operator.livechat_status = "offline"
        session = self.as_(self.operator)
        self.assertEqual(session.read(["name"])[0]["name"], self.session.name)
        for action in (
            session.action_take,
            lambda: session.reply("hello"),
            lambda: session.write({"priority": "3"}),
            lambda: session.write({"name": "Renamed"}),
            session.action_close,
            session.action_mark_spam,
            lambda: self.env["livechat.session"]
            .sudo(self.operator)
            .create(
                {
                    "chat_id": self.chat_a.id,
                    "account_id": self.session.account_id.id,
                }
            ),
        ):
            with self.assertRaisesRegex(UserError, "You are Offline"):
                action()
        self.assertEqual(self.session.state, "queued")

    def test_status_switch(self):
        Users = self.env["res.users"].sudo(self.operator)
        self.assertEqual(Users.livechat_set_status("offline"), "offline")
        self.assertEqual(self.operator.livechat_status, "offline")
        Users.livechat_set_status("online")
        self.assertEqual(self.operator.livechat_status, "online")
        with self.assertRaises(UserError):
            Users.livechat_set_status("away")

    # Replying -------------------------------------------------------------------

    def test_reply_takes_a_queued_session_and_quotes(self):
        attachment = (
            self.env["ir.attachment"]
            .sudo(self.operator)
            .create(
                {
                    "name": "guide.pdf",
                    "datas": base64.b64encode(b"guide"),
                    "datas_fname": "guide.pdf",
                }
            )
        )
        reply = self.as_(self.operator).reply(
            "Here is <the> guide",
            attachment_ids=attachment.ids,
            quote_id=self.message.id,
        )
        self.assertEqual(self.session.operator_id, self.operator)
        self.assertEqual(reply.direction, "out")
        self.assertEqual(reply.author_user_id, self.operator)
        self.assertEqual(reply.quote_id, self.message)
        self.assertEqual(reply.attachment_ids, attachment)
        self.assertIn("&lt;the&gt;", reply.body)
        self.assertEqual(
            reply.delivery_state, "pending"
        )  # a messenger: its connector sends
        self.assertEqual(self.session.last_message_date, reply.date)

    def test_internal_channel_reply_is_sent_at_once(self):
        session = self.receive("hi", channel="internal", account="7").session_id
        reply = session.sudo(self.operator).reply("hello")
        self.assertEqual(reply.delivery_state, "sent")

    def test_only_the_responsible_operator_replies(self):
        self.as_(self.operator).action_take()
        # operator2 no longer even sees the session (record rules).
        with self.assertRaises(AccessError):
            self.session.sudo(self.operator2).reply("me too")
        # A supervisor of the chat may step in.
        self.as_(self.supervisor).reply("Supervisor here")
        with self.assertRaises(AccessError):
            self.session.sudo(self.reader).reply("can I?")

    def test_reply_validation(self):
        self.as_(self.operator).action_take()
        with self.assertRaises(ValidationError):
            self.as_(self.operator).reply("   ")
        other = self.receive("other", account="tg-9")
        with self.assertRaises(ValidationError):
            self.as_(self.operator).reply("quote", quote_id=other.id)
        self.as_(self.operator).action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.as_(self.operator).reply("after close")

    def test_messages_are_written_only_through_actions(self):
        with self.assertRaises(AccessError):
            self.env["livechat.message"].sudo(self.supervisor).create(
                {
                    "session_id": self.session.id,
                    "channel": "messenger",
                    "direction": "out",
                    "body": "<p>x</p>",
                }
            )
        with self.assertRaises(AccessError):
            self.message.sudo(self.supervisor).write({"body": "<p>edited</p>"})

    # Supervising ----------------------------------------------------------------

    def test_supervisor_assigns_and_reassigns(self):
        self.as_(self.supervisor).action_assign(user_id=self.operator.id)
        self.assertEqual(
            (self.session.state, self.session.operator_id), ("active", self.operator)
        )
        self.assertIn(
            "livechat.session_assigned",
            [p["type"] for p in self.bus_payloads(self.operator.partner_id)],
        )
        self.env.cr.execute("DELETE FROM bus_bus")
        self.as_(self.supervisor).action_assign(user_id=self.operator2.id)
        self.assertEqual(self.session.operator_id, self.operator2)
        for user in (self.operator, self.operator2):  # old and new assignee
            self.assertIn(
                "livechat.session_assigned",
                [p["type"] for p in self.bus_payloads(user.partner_id)],
            )

    def test_assign_to_group(self):
        self.as_(self.operator).action_take()
        self.as_(self.supervisor).action_assign(group_id=self.team_a.id)
        self.assertEqual(self.session.state, "queued")
        self.assertFalse(self.session.operator_id)
        self.assertEqual(self.session.group_id, self.team_a)
        for user in (self.operator, self.operator2):
            self.assertTrue(self.bus_payloads(user.partner_id))

    def test_operator_hands_their_own_session_to_an_expert_group(self):
        self.as_(self.operator).action_take()
        experts = self.env["res.groups"].create(
            {"name": "Accounting experts", "users": [(4, self.operator2.id)]}
        )
        self.chat_a.operator_group_ids |= experts
        self.as_(self.operator).action_assign(group_id=experts.id)
        self.assertEqual(
            (self.session.state, self.session.operator_id, self.session.group_id),
            ("queued", self.env["res.users"], experts),
        )
        # The About pane says whom it waits for.
        data = (
            self.env["livechat.workspace"]
            .sudo(self.supervisor)
            .messages(self.session.id)
        )
        self.assertEqual(data["session"]["group_id"], "Accounting experts")
        self.assertFalse(data["session"]["operator_id"])
        # The group's member takes it from their queue.
        self.as_(self.operator2).action_take()
        self.assertEqual(self.session.operator_id, self.operator2)

    def test_the_conversation_says_who_assigned_took_and_closed(self):
        self.as_(self.operator).action_take()
        self.as_(self.supervisor).action_assign(group_id=self.team_a.id)
        self.as_(self.supervisor).action_assign(user_id=self.operator2.id)
        reply = self.session.sudo(self.operator2).reply("<p>On it</p>")
        self.as_(self.operator2).action_close()
        data = (
            self.env["livechat.workspace"]
            .sudo(self.supervisor)
            .messages(self.session.id)
        )
        texts = [event["text"] for event in data["events"]]
        self.assertEqual(
            texts,
            [
                "%s took the session." % self.operator.name,
                "Sent to the group %s by %s."
                % (self.team_a.name, self.supervisor.name),
                "Assigned to %s by %s." % (self.operator2.name, self.supervisor.name),
                "Closed by %s." % self.operator2.name,
            ],
        )
        # Each line sits in time between the messages around it.
        self.assertLessEqual(data["events"][0]["date"], reply.date)
        # Routing or an automatic offer names nobody as the actor.
        second = self.receive("Another question", external_id="in-2").session_id
        second.sudo()._take_for(self.operator)
        data = self.env["livechat.workspace"].sudo(self.supervisor).messages(second.id)
        self.assertEqual(
            [event["text"] for event in data["events"]],
            ["Assigned to %s." % self.operator.name],
        )
        # A group assignment is nobody's work in Operators' Performance.
        self.env["livechat.report.operator"].invalidate_cache()
        rows = self.env["livechat.report.operator"].search(
            [("operator_id", "=", False)]
        )
        self.assertFalse(rows)

    def test_assign_refusals(self):
        # Queued, or a colleague's: not the operator's to hand on.
        with self.assertRaises(AccessError):
            self.as_(self.operator).action_assign(user_id=self.operator2.id)
        self.as_(self.operator2).action_take()
        with self.assertRaises(AccessError):
            self.as_(self.operator).action_assign(user_id=self.operator.id)
        with self.assertRaisesRegex(UserError, "does not operate"):
            self.as_(self.supervisor).action_assign(user_id=self.operator_b.id)
        with self.assertRaisesRegex(UserError, "not an operator group"):
            self.as_(self.supervisor).action_assign(group_id=self.team_b.id)
        with self.assertRaises(UserError):
            self.as_(self.supervisor).action_assign()

    def test_operators_cannot_move_sessions_by_write(self):
        for vals in (
            {"operator_id": self.operator.id},
            {"state": "closed"},
            {"chat_id": self.chat_b.id},
            {"is_spam": True},
        ):
            with self.assertRaises(AccessError):
                self.as_(self.operator).write(vals)

    def test_rename_and_priority(self):
        self.as_(self.operator).action_take()
        self.as_(self.operator).write({"name": "Refund for order 42", "priority": "3"})
        self.assertEqual(self.session.name, "Refund for order 42")
        self.assertEqual(self.session.priority, "3")

    def test_spam_leaves_the_lists_and_stays_findable(self):
        self.as_(self.operator).action_mark_spam()
        Session = self.env["livechat.session"]
        self.assertNotIn(self.session, Session.search([("is_spam", "=", False)]))
        self.assertIn(self.session, Session.search([("is_spam", "=", True)]))
        self.assertEqual(self.chat_a.queued_count, 0)
        self.as_(self.operator).action_unmark_spam()
        self.chat_a.invalidate_cache()
        self.assertEqual(self.chat_a.queued_count, 1)

    def test_closing_sends_the_chats_closing_message_on_the_channel(self):
        self.chat_a.closing_message = "Thank you, write again any time."
        self.as_(self.operator).action_take()
        self.as_(self.operator).action_close()
        last = self.session.message_ids.sorted("id")[-1]
        self.assertEqual(self.session.state, "closed")
        self.assertEqual(last.direction, "out")
        self.assertIn("Thank you, write again any time.", last.body)
        self.assertEqual(last.author_user_id, self.operator)
        self.assertEqual(last.delivery_state, "pending")  # the channel sends it

    def test_no_closing_message_when_empty_or_to_spam(self):
        self.as_(self.operator).action_take()
        self.as_(self.operator).action_close()
        self.assertEqual(self.session.message_ids.mapped("direction"), ["in"])
        self.chat_a.closing_message = "Bye"
        spam = self.receive("buy now", account="spammer").session_id
        spam.sudo(self.supervisor).action_mark_spam()
        spam.sudo(self.supervisor).action_close()
        self.assertEqual(spam.message_ids.mapped("direction"), ["in"])

    def test_close_notifies_operators_and_supervisors(self):
        self.as_(self.operator).action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        self.as_(self.operator).action_close()
        self.assertEqual(self.session.state, "closed")
        self.assertTrue(self.session.closed_date)
        for user in (self.operator, self.operator2, self.supervisor):
            self.assertEqual(
                [p["type"] for p in self.bus_payloads(user.partner_id)],
                ["livechat.session_closed"],
            )
        other = self.receive("x", account="tg-5").session_id
        other.sudo(self.operator).action_take()
        with self.assertRaises(AccessError):
            other.sudo(self.operator2).action_close()

    # Counters -----------------------------------------------------------------

    def test_unread_counters(self):
        self.as_(self.operator).action_take()
        self.receive("second")
        self.receive("third")
        session = self.as_(self.operator)
        self.assertEqual(session.unread_count, 3)
        counters = self.env["livechat.session"].sudo(self.operator).get_counters()
        self.assertEqual(counters["unread_total"], 3)
        self.assertEqual(counters["unread"], {self.session.id: 3})
        session.action_mark_seen()
        session.invalidate_cache()
        self.assertEqual(session.unread_count, 0)
        # Another user's marker is their own.
        self.assertEqual(self.as_(self.supervisor).unread_count, 3)
        # Operator replies do not count as unread.
        session.reply("answer")
        session.invalidate_cache()
        self.assertEqual(session.unread_count, 0)
        self.receive("fourth")
        session.invalidate_cache()
        self.assertEqual(session.unread_count, 1)

    def test_queue_counts_per_chat(self):
        self.receive("from someone else", account="tg-2")
        counts = self.env["livechat.chat"].sudo(self.operator).get_queue_counts()
        self.assertEqual(
            counts,
            [
                {
                    "chat_id": self.chat_a.id,
                    "name": "Chat A",
                    "queued": 2,
                    "is_supervisor": False,
                }
            ],
        )
        sup = self.env["livechat.chat"].sudo(self.supervisor).get_queue_counts()
        self.assertTrue(sup[0]["is_supervisor"])
        self.assertFalse(self.env["livechat.chat"].sudo(self.reader).get_queue_counts())

    # Outbound -------------------------------------------------------------------

    def test_operator_starts_an_outbound_session(self):
        account = self.env["livechat.account"].create(
            {"name": "Bob", "channel": "mailbox", "external_id": "bob@example.com"}
        )
        session = (
            self.env["livechat.session"]
            .sudo(self.operator)
            .create({"chat_id": self.chat_a.id, "account_id": account.id})
        )
        self.assertEqual(session.state, "active")
        self.assertEqual(session.operator_id, self.operator)
        self.assertEqual(session.channel, "mailbox")
        self.assertIn("Bob", session.name)
        reply = session.reply("Hello Bob")
        self.assertEqual(reply.direction, "out")
        with self.assertRaisesRegex(UserError, "already has an open session"):
            self.env["livechat.session"].sudo(self.operator2).create(
                {"chat_id": self.chat_a.id, "account_id": account.id}
            )
        with self.assertRaises(AccessError):
            self.env["livechat.session"].sudo(self.operator_b).create(
                {"chat_id": self.chat_a.id, "account_id": account.id}
            )

    # Configuration --------------------------------------------------------------

    def test_the_apps_tab_offers_and_accepts_only_apps_that_qualify(self):
        ref = self.env.ref
        for field in ("bind_model_ids", "register_model_ids"):
            for model in ("livechat.session", "livechat.session.new", "res.users"):
                with self.assertRaises(ValidationError, msg=(field, model)):
                    self.chat_a.write(
                        {field: [(6, 0, self.env["ir.model"]._get(model).ids)]}
                    )
        self.chat_a.write(
            {
                "bind_model_ids": [(6, 0, ref("base.model_res_partner").ids)],
                "register_model_ids": [(6, 0, ref("base.model_res_partner").ids)],
            }
        )
        # The form's pickers offer what the constraint accepts.
        arch = self.env["livechat.chat"].fields_view_get(view_type="form")["arch"]
        for field, domain in (
            ("bind_model_ids", livechat_chat.BIND_DOMAIN),
            ("register_model_ids", livechat_chat.REGISTER_DOMAIN),
        ):
            node = etree.fromstring(arch).xpath("//field[@name='%s']" % field)[0]
            self.assertEqual(safe_eval(node.get("domain")), domain, field)
        offered = self.env["ir.model"].search(livechat_chat.BIND_DOMAIN).mapped("model")
        self.assertIn("res.partner", offered)
        self.assertFalse([m for m in offered if m.startswith("livechat.")])

    def test_chat_configuration_checks(self):
        with self.assertRaises(ValidationError):
            self.chat_a.session_name_template = "{secret}"
        with self.assertRaises(ValidationError):
            self.chat_a.bind_model_ids = self.env.ref("base.model_res_country")
        self.chat_a.bind_model_ids = self.env.ref("base.model_res_partner")
        binding = self.env["livechat.session.binding"].create(
            {
                "session_id": self.session.id,
                "res_model": "res.partner",
                "res_id": self.env.ref("base.main_partner").id,
            }
        )
        self.assertEqual(
            binding.display_name, self.env.ref("base.main_partner").display_name
        )
        with self.assertRaises(ValidationError):
            self.env["livechat.session.binding"].create(
                {"session_id": self.session.id, "res_model": "res.country", "res_id": 1}
            )

    def test_only_administrators_configure_chats(self):
        vals = {
            "name": "New",
            "operator_group_ids": [(6, 0, self.team_a.ids)],
            "supervisor_group_ids": [(6, 0, self.leads_a.ids)],
        }
        for user in (self.operator, self.supervisor, self.reader, self.outsider):
            with self.assertRaises(AccessError):
                self.env["livechat.chat"].sudo(user).create(vals)
            with self.assertRaises(AccessError):
                self.chat_a.sudo(user).write({"name": "Hacked"})
        chat = self.env["livechat.chat"].sudo(self.manager).create(vals)
        self.assertEqual(chat.name, "New")
        with self.assertRaises(ValidationError):
            self.env["livechat.chat"].sudo(self.manager).create(
                {"name": "No operators", "operator_group_ids": [(6, 0, [])]}
            )
        default = (
            self.env["livechat.chat"].sudo(self.manager).create({"name": "Defaults"})
        )
        self.assertEqual(default.operator_group_ids, self.group_operator)
        self.assertEqual(default.supervisor_group_ids, self.group_supervisor)
