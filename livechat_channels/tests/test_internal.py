# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Employees writing to a live chat from Odoo."""

import json

from odoo.exceptions import AccessError

from .common import ChannelCase


class TestInternal(ChannelCase):

    def setUp(self):
        super(TestInternal, self).setUp()
        employees = self.env["res.groups"].create({"name": "Staff customers"})
        self.chat.customer_group_ids = employees
        user_group = self.env.ref("base.group_user")
        self.employee = self.env["res.users"].create(
            {
                "name": "Erin Employee",
                "login": "erin",
                "email": "erin@example.com",
                "groups_id": [(6, 0, [user_group.id, employees.id])],
            }
        )
        self.colleague = self.env["res.users"].create(
            {
                "name": "Colin Colleague",
                "login": "colin",
                "groups_id": [(6, 0, [user_group.id, employees.id])],
            }
        )
        self.outsider = self.env["res.users"].create(
            {
                "name": "Olga Outsider",
                "login": "olga",
                "groups_id": [(6, 0, [user_group.id])],
            }
        )

    def internal(self, user):
        return self.env["livechat.internal"].sudo(user)

    def test_employee_writes_and_reads_the_answer_under_the_chat_name(self):
        [entry] = self.internal(self.employee).my_chats()
        self.assertEqual((entry["id"], entry["session_id"]), (self.chat.id, False))
        session_id = self.internal(self.employee).start(
            self.chat.id, "The printer is down"
        )
        session = self.env["livechat.session"].browse(session_id)
        self.assertEqual(session.channel, "internal")
        self.assertEqual(session.account_id.user_id, self.employee)
        self.assertEqual(session.state, "queued")
        self.take_and_reply(session.message_ids[:1], "A technician is coming")
        # The employee is woken on their own channel...
        channel = json.dumps(
            [self.env.cr.dbname, "res.partner", self.employee.partner_id.id],
            separators=(",", ":"),
        )
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s", (channel,)
        )
        payloads = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        [payload] = [p for p in payloads if p["type"] == "livechat.internal_message"]
        # ...and reads the answer under the chat's name.
        page = self.internal(self.employee).messages(session_id)
        # The payload is the answer exactly as the employee's window reads
        # it (JSON's way: dates as text), so the window shows it as it is.
        told = dict(payload["message"])
        self.assertTrue(told.pop("complete"))
        self.assertEqual(told, json.loads(json.dumps(page["messages"][1], default=str)))
        self.assertEqual(
            [(m["direction"], m["author"]) for m in page["messages"]],
            [("in", "Erin Employee"), ("out", self.chat.name)],
        )
        self.assertTrue(page["session"]["can_reply"])
        self.assertFalse(page["session"]["operator_id"])
        # Who took the session is the staff's business: no event lines.
        self.assertEqual(page["events"], [])
        self.chat.show_operator_name = True
        page = self.internal(self.employee).messages(session_id)
        self.assertEqual(page["messages"][1]["author"], "Channel Operator")
        self.assertEqual(page["session"]["operator_id"], "Channel Operator")
        # A follow-up joins the same session.
        self.internal(self.employee).reply(session_id, "Thanks!")
        self.assertEqual(len(session.message_ids), 3)
        # The staff's internal notes: not shown to the employee, nor theirs
        # to write.
        session.sudo(self.operator).add_note("Printer on floor 2, again")
        page = self.internal(self.employee).messages(session_id)
        self.assertNotIn("note", [m["direction"] for m in page["messages"]])
        self.assertFalse(page["session"]["can_note"])
        with self.assertRaises(AccessError):
            self.internal(self.employee).add_note(session_id, "Me too")

    def test_nobody_else_reads_or_writes_in_an_employees_conversation(self):
        session_id = self.internal(self.employee).start(self.chat.id, "Private matter")
        with self.assertRaises(AccessError):
            self.internal(self.colleague).messages(session_id)
        with self.assertRaises(AccessError):
            self.internal(self.colleague).reply(session_id, "Let me in")
        with self.assertRaises(AccessError):
            self.internal(self.outsider).start(self.chat.id, "Hello")
        self.assertEqual(self.internal(self.outsider).my_chats(), [])

    def test_an_employees_window_shows_no_timeline_and_replies_only_from_odoo(self):
        """The staff's timeline (the customer's other accounts and chats)
        and replies through another account are not the employee's."""
        session_id = self.internal(self.employee).start(self.chat.id, "Hello")
        mine = self.internal(self.employee)
        self.assertEqual(len(mine.messages(session_id)["messages"]), 1)
        with self.assertRaises(AccessError):
            mine.messages(session_id, timeline=True)
        with self.assertRaises(AccessError):
            mine.find_messages(session_id, "Hello", timeline=True)
        with self.assertRaises(AccessError):
            mine.reply_channels(session_id)
        account = self.env["livechat.session"].browse(session_id).account_id
        with self.assertRaises(AccessError):
            mine.reply(session_id, "Via", via_account_id=account.id)
