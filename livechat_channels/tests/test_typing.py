# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Typing indicators, both ways, where each channel can show them: the
website chat (its public route and the visitor's bus channel), Telegram's
chat action (a job against the fake Bot API), the employees' chat."""
import json

from odoo.exceptions import AccessError

from .common import ChannelCase, VisitorCase
from .test_engine import tg_update

TOKEN = "126:TYPING-token"


def presences(env, partner):
    channel = json.dumps(
        [env.cr.dbname, "res.partner", partner.id], separators=(",", ":")
    )
    env.cr.execute(
        "SELECT message FROM bus_bus WHERE channel = %s ORDER BY id", (channel,)
    )
    payloads = [json.loads(row[0]) for row in env.cr.fetchall()]
    return [p["presence"] for p in payloads if p.get("type") == "livechat.presence"]


class TypingCase(VisitorCase):
    def typing(self, token):
        return self.call("/livechat/visitor/typing", key=self.key, token=token)


class TestWebsiteTyping(TypingCase):

    def visitor_payloads(self, token):
        channel = self.env["livechat.website"]._poll_channel(token)
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s ORDER BY id",
            (json.dumps(channel),),
        )
        return [json.loads(row[0]) for row in self.env.cr.fetchall()]

    def test_the_staff_see_the_visitor_type(self):
        token = self.start()["token"]
        # No conversation yet: nobody to tell.
        response = self.typing(token)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"shown": False})
        self.send(token, "Hello", name="Vera Visitor")
        self.assertEqual(self.typing(token).json(), {"shown": True})
        self.assertIn(
            {"customer": True, "name": "Vera Visitor", "state": "typing"},
            presences(self.env, self.operator.partner_id),
        )
        # A bad token is a 400; past the limit, quietly not told.
        self.assertEqual(self.typing("nope").status_code, 400)
        for _i in range(29):
            self.typing(token)
        self.assertEqual(self.typing(token).json(), {"shown": False})
        # Typing never ate into the visitor's messages.
        self.assertEqual(self.send(token, "Still here").status_code, 200)

    def test_the_visitor_sees_a_reply_being_typed_not_a_note(self):
        token = self.start()["token"]
        self.send(token, "Anyone there?")
        session = self.messages("website").session_id
        session.sudo(self.operator).action_take()
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        Workspace.set_presence(session.id, "typing", reply=False)
        self.assertFalse(
            [p for p in self.visitor_payloads(token) if "typing" in p["type"]]
        )
        Workspace.set_presence(session.id, "typing", reply=True)
        [payload] = [
            p
            for p in self.visitor_payloads(token)
            if p["type"] == "livechat.visitor_typing"
        ]
        self.assertEqual(payload["session_id"], session.id)


class TestTelegramTyping(ChannelCase):
    def setUp(self):
        super(TestTelegramTyping, self).setUp()
        self.connector = self.connect_telegram(
            TOKEN, name="Typing bot", fetch_avatars=False
        )
        self.telegram_update(self.connector, tg_update(1, "Hello?"))
        self.session = self.messages("telegram").session_id
        self.session.sudo(self.operator).action_take()

    def typing_jobs(self):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "livechat.connector.telegram"),
                ("method_name", "=", "_typing_job"),
            ]
        )

    def test_an_operator_typing_a_reply_shows_typing_in_telegram(self):
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        Workspace.set_presence(self.session.id, "typing", reply=True)
        # Typing on while it waits: still one job.
        Workspace.set_presence(self.session.id, "typing", reply=True)
        [job] = self.typing_jobs()
        self.assertEqual(self.perform(job), "Shown.")
        self.assertEqual(
            self.bot.calls_of("sendChatAction"),
            [{"chat_id": "7001", "action": "typing"}],
        )
        # A note shows nothing to the customer.
        job.unlink()
        Workspace.set_presence(self.session.id, "typing", reply=False)
        self.assertFalse(self.typing_jobs())


class TestInternalTyping(ChannelCase):
    def setUp(self):
        super(TestInternalTyping, self).setUp()
        self.customers = self.env["res.groups"].create({"name": "Typing employees"})
        self.chat.customer_group_ids = self.customers
        self.employee = self.env["res.users"].create(
            {
                "name": "Emma Employee",
                "login": "emma_typing",
                "groups_id": [
                    (6, 0, [self.env.ref("base.group_user").id, self.customers.id])
                ],
            }
        )
        self.session = self.env["livechat.session"].browse(
            self.env["livechat.internal"]
            .sudo(self.employee)
            .start(self.chat.id, "My laptop is broken")
        )
        self.session.sudo(self.operator).action_take()

    def test_both_ways(self):
        Internal = self.env["livechat.internal"].sudo(self.employee)
        Internal.set_presence(self.session.id, "typing")
        self.assertIn(
            {"customer": True, "name": "Emma Employee", "state": "typing"},
            presences(self.env, self.operator.partner_id),
        )
        # Their viewing is nobody's business.
        Internal.set_presence(self.session.id, "viewing")
        self.assertEqual(len(presences(self.env, self.operator.partner_id)), 1)
        self.env["livechat.workspace"].sudo(self.operator).set_presence(
            self.session.id, "typing", reply=True
        )
        [shown] = presences(self.env, self.employee.partner_id)
        self.assertEqual(shown["state"], "typing")
        self.assertTrue(shown["staff"])
        # Another employee's session is not theirs to type in.
        other = self.env["res.users"].create(
            {
                "name": "Otto",
                "login": "otto_typing",
                "groups_id": [(6, 0, self.customers.ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["livechat.internal"].sudo(other).set_presence(
                self.session.id, "typing"
            )


class TestLeaveAMessage(TypingCase):
    """When nobody can answer, the website chat takes a message and an
    email address; the answer goes by email too."""

    def setUp(self):
        super(TestLeaveAMessage, self).setUp()
        self.operator.livechat_status = "offline"

    def mails_to(self, email):
        return self.env["mail.mail"].search([("email_to", "=", email)])

    def test_a_message_left_is_answered_by_email(self):
        started = self.start()
        self.assertEqual(started["away"]["reason"], "nobody")
        self.assertIn("Leave your message", started["away"]["text"])
        token = started["token"]
        # Without an email address: refused, nothing stored.
        response = self.send(token, "Do you ship to Norway?")
        self.assertEqual(response.status_code, 400)
        self.assertIn("email address", response.json()["error"])
        self.assertFalse(self.messages("website"))
        response = self.send(
            token, "Do you ship to Norway?", name="Nils", email="nils@example.com"
        )
        self.assertEqual(response.status_code, 200, response.text)
        session = self.messages("website").session_id
        self.assertTrue(session.answer_by_email)
        self.assertEqual(session.state, "queued")
        # The conversation goes on: no longer "away" for this visitor.
        self.assertFalse(self.start(token)["away"])
        self.operator.livechat_status = "online"
        self.take_and_reply(self.messages("website"), "Yes, in four days.")
        [mail] = self.mails_to("nils@example.com")
        self.assertIn("Yes, in four days.", mail.body_html)
        self.assertIn(self.chat.name, mail.subject)

    def test_a_visitor_answered_live_gets_no_email(self):
        self.operator.livechat_status = "online"
        token = self.start()["token"]
        self.assertFalse(self.start(token)["away"])
        self.send(token, "Hello", name="Lena", email="lena@example.com")
        self.take_and_reply(self.messages("website"), "Hi Lena")
        self.assertFalse(self.mails_to("lena@example.com"))
