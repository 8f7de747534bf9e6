# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the bus carries is what the clients apply without asking the server:
a message exactly as the conversation shows it, a "seen" with the new
unread counter."""
import base64
import json

from .common import LivechatCase

#: Shown as the receiving user's own: the channel's label in their
#: language; for a customer's message, the name and picture their earlier
#: messages show (the account's name carries the channel's label).
CLIENT_SIDE = frozenset({"channel_label", "channel_icon"})
CUSTOMER_SIDE = CLIENT_SIDE | {"avatar", "author"}


class TestLivePayloads(LivechatCase):
    def conversation_row(self, message, user):
        data = self.env["livechat.workspace"].sudo(user).messages(message.session_id.id)
        return next(row for row in data["messages"] if row["id"] == message.id)

    def assertRendersAs(self, payload_message, row, client_side=CLIENT_SIDE):
        self.assertTrue(payload_message.get("complete"))
        for key, value in row.items():
            if key not in client_side:
                self.assertEqual(payload_message.get(key), value, key)

    def test_a_customer_message_arrives_as_the_conversation_shows_it(self):
        session = self.receive("hi").session_id
        session.sudo(self.operator).action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        message = self.receive("are you <b>there</b>?")
        [payload] = self.bus_payloads(self.operator.partner_id)
        self.assertRendersAs(
            payload["message"],
            self.conversation_row(message, self.operator),
            CUSTOMER_SIDE,
        )
        # The picture is left to the client (the customer's earlier
        # messages show it): the way in reads nothing back.
        self.assertIsNone(payload["message"]["avatar"])

    def test_a_first_message_with_files_arrives_complete(self):
        message = self.receive(
            "see attached",
            attachments=[
                {
                    "name": "invoice.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 invoice"),
                    "mimetype": "application/pdf",
                }
            ],
        )
        [payload] = self.bus_payloads(self.operator.partner_id)
        self.assertEqual(payload["type"], "livechat.session_new")
        row = self.conversation_row(message, self.supervisor)
        self.assertRendersAs(payload["message"], row, CUSTOMER_SIDE)
        self.assertEqual(payload["message"]["attachments"][0]["name"], "invoice.pdf")

    def test_a_reply_and_a_note_arrive_with_picture_quote_and_delivery(self):
        customer = self.receive("my order?")
        session = customer.session_id.sudo(self.operator)
        session.action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        reply = session.reply("It left today.", quote_id=customer.id)
        note = session.add_note("Check the carrier.")
        payloads = self.bus_payloads(self.supervisor.partner_id)
        by_id = {p["message"]["id"]: p["message"] for p in payloads if "message" in p}
        for message in (reply, note):
            row = self.conversation_row(message, self.supervisor)
            self.assertRendersAs(by_id[message.id], row)
            self.assertEqual(by_id[message.id]["avatar"], row["avatar"])
        self.assertEqual(by_id[reply.id]["quote"]["id"], customer.id)

    def test_a_long_message_is_announced_without_its_body(self):
        # Every open screen of the team gets its own row: a long email or a
        # pasted log is not copied to each of them; the open conversations
        # read it (not "complete").
        session = self.receive("hi").session_id
        session.sudo(self.operator).action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        self.receive("log line\n" * 1000)
        reply = session.sudo(self.operator).reply("x" * 5000)
        payloads = [
            p
            for p in self.bus_payloads(self.operator.partner_id)
            if p["type"] == "livechat.message"
        ]
        self.assertEqual(len(payloads), 2)
        for payload in payloads:
            self.assertIsNone(payload["message"]["body"])
            self.assertFalse(payload["message"]["complete"])
            self.assertLess(len(json.dumps(payload)), 2000)
        self.assertIn(reply.id, [p["message"]["id"] for p in payloads])
        # A message under the limit still comes whole.
        self.env.cr.execute("DELETE FROM bus_bus")
        self.receive("y" * 3000)
        [payload] = [
            p
            for p in self.bus_payloads(self.operator.partner_id)
            if p["type"] == "livechat.message"
        ]
        self.assertTrue(payload["message"]["complete"])
        self.assertIn("y" * 3000, payload["message"]["body"])

    def test_a_quoting_customer_message_is_left_to_a_reload(self):
        # What the way in cannot render (the quoted message is not read):
        # no "complete" flag, the client reloads.
        payload = self.env["livechat.message"]._bus_payload(
            1,
            2,
            "in",
            "Ann",
            "<p>yes</p>",
            "2026-12-01 10:00:00",
            "messenger",
            quote_id=7,
            session_name="Ann",
        )
        self.assertNotIn("complete", payload)

    def test_seen_tells_the_users_screens_their_unread_count(self):
        first = self.receive("one").session_id
        first.sudo(self.operator).action_take()
        self.receive("two")
        self.receive("three", account="tg-2", name="Bob").session_id.sudo(
            self.operator
        ).action_take()
        self.receive("four", account="tg-2", name="Bob")
        self.env.cr.execute("DELETE FROM bus_bus")
        first.sudo(self.operator).action_mark_seen()
        [payload] = self.bus_payloads(self.operator.partner_id)
        self.assertEqual(payload["type"], "livechat.seen")
        self.assertEqual(payload["session_ids"], [first.id])
        # Bob's session still holds his unread messages.
        self.assertGreater(payload["unread_total"], 0)
        self.assertEqual(
            payload["unread_total"],
            self.env["livechat.session"]
            .sudo(self.operator)
            .get_counters()["unread_total"],
        )
