# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LivechatCase


class TestNotes(LivechatCase):
    """Internal notes: any operator or supervisor of the chat writes them in
    a conversation; they are shown to the staff, distinct, and never count
    as a reply."""

    def setUp(self):
        super(TestNotes, self).setUp()
        self.message = self.receive("My order is late")
        self.session = self.message.session_id
        self.Workspace = self.env["livechat.workspace"]

    def test_staff_write_notes_that_are_no_reply(self):
        self.session.sudo(self.operator).action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        row = self.Workspace.sudo(self.operator).add_note(
            self.session.id, "Checked: the parcel is <b>lost</b>"
        )
        self.assertEqual(row["direction"], "note")
        self.assertEqual(row["author"], self.operator.name)
        self.assertNotIn("<b>", row["body"])  # text, escaped like a reply
        self.assertFalse(row["delivery_state"])
        # The session's staff see it live; it is no reply.
        self.assertIn(
            "livechat.message",
            [p["type"] for p in self.bus_payloads(self.supervisor.partner_id)],
        )
        self.assertFalse(self.session.first_response_date)
        # A supervisor (who may not reply in the operator's session) notes too.
        page = self.Workspace.sudo(self.supervisor).messages(self.session.id)
        self.assertTrue(page["session"]["can_note"])
        self.Workspace.sudo(self.supervisor).add_note(self.session.id, "Refund it")
        page = self.Workspace.sudo(self.operator).messages(self.session.id)
        self.assertEqual(
            [m["direction"] for m in page["messages"]], ["in", "note", "note"]
        )
        # Operators' Performance counts replies only.
        report = self.env["livechat.report.operator"].search(
            [("operator_id", "=", self.operator.id)]
        )
        self.assertEqual(sum(report.mapped("messages_sent")), 0)
        # After closing, the staff still note what happened next.
        self.session.sudo(self.operator).action_close()
        self.Workspace.sudo(self.operator).add_note(self.session.id, "Refund sent")

    def test_who_may_not_write_notes(self):
        for user in (self.reader, self.outsider, self.operator_b):
            with self.assertRaises(AccessError, msg=user.login):
                self.Workspace.sudo(user).add_note(self.session.id, "Psst")
        self.operator.livechat_status = "offline"
        with self.assertRaises(UserError):
            self.Workspace.sudo(self.operator).add_note(self.session.id, "Psst")
        self.assertEqual(
            self.env["livechat.message"].search_count(
                [("session_id", "=", self.session.id), ("direction", "=", "note")]
            ),
            0,
        )

    def test_a_note_is_never_quoted_to_the_customer(self):
        self.session.sudo(self.operator).action_take()
        note = self.session.sudo(self.operator).add_note("Internal: VIP")
        with self.assertRaisesRegex(ValidationError, "not quoted"):
            self.session.sudo(self.operator).reply("Hello", quote_id=note.id)

    def test_forward_with_a_note(self):
        self.session.sudo(self.supervisor).action_assign(
            user_id=self.operator2.id, note="VIP customer, be quick"
        )
        [note] = self.session.message_ids.filtered(lambda m: m.direction == "note")
        self.assertIn(
            "Forwarded to %s by %s: VIP customer, be quick"
            % (self.operator2.name, self.supervisor.name),
            note.body,
        )
        self.assertEqual(note.author_user_id, self.supervisor)
        with self.assertRaises(ValidationError):
            self.session.sudo(self.supervisor).action_assign(
                user_id=self.operator.id, note=["not", "text"]
            )
