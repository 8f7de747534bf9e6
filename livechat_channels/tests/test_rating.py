# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer satisfaction on each channel, end to end: the question leaves
through the channel's delivery with its answers (Telegram's inline
buttons, WhatsApp's reply buttons, an email's links, the website window's
faces) and the customer's answer comes back through the channel's own way
in (a callback query, a button reply, the rating page, the visitor's
route)."""

import re
import time

from odoo.addons.livechat_sessions.engine import rating

from .common import ChannelCase, VisitorCase
from .test_engine import tg_update, wa_notification
from .test_whatsapp import WhatsappCase

TOKEN = "123:TEST-token"


class RatingMixin(object):
    def close_and_ask(self, message):
        """The operator answers and closes ``message``'s session; the
        rating question's delivery job runs. Returns the session."""
        self.chat.write({"rating_enabled": True, "rating_question": "Rate us?"})
        reply = self.take_and_reply(message)
        session = reply.session_id
        session.sudo(self.operator).action_close()
        question = session.message_ids.filtered("is_rating_request")
        self.assertEqual(len(question), 1)
        for job in self.delivery_jobs(reply) | self.delivery_jobs(question):
            self.perform(job)
        self.assertEqual(question.delivery_state, "sent", question.delivery_error)
        return session


class TestTelegramRating(RatingMixin, ChannelCase):
    def setUp(self):
        super(TestTelegramRating, self).setUp()
        self.connector = self.connect_telegram(TOKEN)

    def press(self, data, user_id=7001, callback_id="cb-1"):
        return self.telegram_update(
            self.connector,
            {
                "update_id": 900 + len(self.bot.calls),
                "callback_query": {
                    "id": callback_id,
                    "from": {"id": user_id, "is_bot": False, "first_name": "Tania"},
                    "data": data,
                    "chat_instance": "1",
                },
            },
        )

    def test_inline_buttons_rate_the_session(self):
        self.telegram_update(self.connector, tg_update(1, "Hello?"))
        session = self.close_and_ask(self.messages("telegram")[0])
        sent = [c for c in self.bot.calls_of("sendMessage") if "reply_markup" in c]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["text"], "Rate us?")
        buttons = sent[0]["reply_markup"]["inline_keyboard"][0]
        self.assertEqual([b["text"] for b in buttons], ["😀 Good", "😐 Okay", "😞 Bad"])
        token = session.sudo().rating_token
        self.assertEqual(
            [b["callback_data"] for b in buttons],
            ["r:%s:%s" % (token, v) for v in ("good", "okay", "bad")],
        )
        # The webhook's secret was given with callback queries allowed.
        self.assertIn("callback_query", self.bot.webhook["allowed_updates"])
        response = self.press(buttons[2]["callback_data"])
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(session.rating, "bad")
        # Nothing stored as a message of the customer, and no new session.
        self.assertEqual(
            len(self.messages("telegram").filtered(lambda m: m.direction == "in")), 1
        )
        # Another Telegram user pressing a forwarded button rates nothing.
        self.press(buttons[0]["callback_data"], user_id=9999, callback_id="cb-2")
        self.assertEqual(session.rating, "bad")
        # A button that is not ours, or malformed, is answered and ignored.
        self.assertEqual(self.press("r:nope:good", callback_id="cb-3").status_code, 200)
        self.assertEqual(self.press(None, callback_id="cb-4").status_code, 200)
        self.assertEqual(session.rating, "bad")

    def test_a_callback_query_without_its_fields_is_refused(self):
        response = self.telegram_update(
            self.connector, {"update_id": 5, "callback_query": {"data": "x"}}
        )
        self.assertEqual(response.status_code, 400)


class TestWhatsappRating(RatingMixin, WhatsappCase):
    def setUp(self):
        super(TestWhatsappRating, self).setUp()
        self.connector.action_connect()

    def test_reply_buttons_rate_the_session(self):
        now = int(time.time())
        self.notify(wa_notification(timestamp=now))
        session = self.close_and_ask(self.messages("whatsapp")[0])
        [asked] = [
            payload
            for name, payload in self.graph.calls
            if name == "messages" and payload.get("type") == "interactive"
        ]
        buttons = asked["interactive"]["action"]["buttons"]
        self.assertEqual(
            [b["reply"]["title"] for b in buttons], ["😀 Good", "😐 Okay", "😞 Bad"]
        )
        pressed = {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": dict(buttons[1]["reply"]),
            },
        }
        response = self.notify(
            wa_notification(message_id="wamid.in.2", timestamp=now, message=pressed)
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(session.rating, "okay")
        self.assertEqual(
            len(self.messages("whatsapp").filtered(lambda m: m.direction == "in")), 1
        )

    def test_outside_the_window_nobody_is_asked(self):
        self.notify(wa_notification(timestamp=int(time.time()) - 2 * 86400))
        message = self.messages("whatsapp")[0]
        self.chat.write({"rating_enabled": True})
        session = message.session_id.sudo(self.operator)
        session.action_take()
        session.action_close()
        self.assertFalse(session.message_ids.filtered("is_rating_request"))
        self.assertFalse(session.rating_requested_date)


class TestWebsiteRating(VisitorCase):
    def test_the_visitor_rates_with_a_face_and_a_comment(self):
        token = self.start()["token"]
        self.assertEqual(self.send(token, "Hi there").status_code, 200)
        self.chat.write({"rating_enabled": True, "rating_question": "Rate us?"})
        message = self.messages("website")[0]
        session = message.session_id.sudo(self.operator)
        session.action_take()
        session.action_close()
        history = self.start(token)["messages"]
        question = [m for m in history if m.get("rating")]
        self.assertEqual(len(question), 1)
        self.assertEqual(question[0]["text"], "Rate us?")
        self.assertEqual(
            [c["value"] for c in question[0]["rating"]["choices"]],
            ["good", "okay", "bad"],
        )
        self.assertTrue(question[0]["rating"]["open"])

        def rate(**params):
            return self.call(
                "/livechat/visitor/rate",
                key=self.key,
                token=token,
                message_id=question[0]["id"],
                **params,
            )

        answer = rate(rating="good", comment="Quick and kind")
        self.assertEqual(answer.status_code, 200, answer.text)
        self.assertEqual(answer.json()["message"]["rating"]["value"], "good")
        self.assertEqual(
            (session.rating, session.rating_comment), ("good", "Quick and kind")
        )
        # Another visitor, an unknown question, a bad value: refused.
        other = self.start()["token"]
        refused = self.call(
            "/livechat/visitor/rate",
            key=self.key,
            token=other,
            message_id=question[0]["id"],
            rating="bad",
        )
        self.assertEqual(refused.status_code, 400)
        self.assertEqual(rate(rating="awful").status_code, 400)
        self.assertEqual(
            self.call(
                "/livechat/visitor/rate",
                key=self.key,
                token=token,
                message_id=message.id,
                rating="bad",
            ).status_code,
            400,
        )
        self.assertEqual(session.rating, "good")


class TestRatingPage(ChannelCase):
    """The page an email's links open: it shows, and only Send records."""

    def setUp(self):
        super(TestRatingPage, self).setUp()
        self.chat.write({"rating_enabled": True, "rating_question": "Rate us?"})
        account = self.env["livechat.account"].create(
            {"channel": "email", "external_id": "ann@example.com", "name": "Ann"}
        )
        self.session = self.env["livechat.session"].create(
            {
                "chat_id": self.chat.id,
                "account_id": account.id,
                "channel": "email",
                "state": "closed",
                "rating_requested_date": "2099-01-01 00:00:00",
                "rating_token": "T" * 32,
            }
        )
        self.session.rating_requested_date = self.session.create_date

    def get(self, path):
        self.cr.commit()  # pylint: disable=invalid-commit
        response = self.opener.get("http://127.0.0.1:%d%s" % (self._port(), path))
        self.env.clear()
        return response

    def test_opening_a_link_records_nothing_send_does(self):
        page = self.get("/livechat/rate/%s/bad" % ("T" * 32))
        self.assertEqual(page.status_code, 200)
        self.assertIn('value="bad" required checked', page.text)
        self.assertEqual(page.headers["X-Frame-Options"], "DENY")
        self.assertEqual(page.headers["Referrer-Policy"], "no-referrer")
        self.assertFalse(self.session.rating, "a link scanner opening it rates nothing")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.cr.commit()  # pylint: disable=invalid-commit
        sent = self.opener.post(
            "http://127.0.0.1:%d/livechat/rate/%s" % (self._port(), "T" * 32),
            data={"csrf_token": csrf, "rating": "bad", "comment": "<b>Too slow</b>"},
        )
        self.env.clear()
        self.assertEqual(sent.status_code, 200, sent.text)
        self.assertIn("Thank you", sent.text)
        # Shown back escaped, kept as text.
        self.assertIn("&lt;b&gt;Too slow&lt;/b&gt;", sent.text)
        self.assertEqual(
            (self.session.rating, self.session.rating_comment),
            ("bad", "<b>Too slow</b>"),
        )

    def test_without_the_csrf_token_or_with_a_wrong_link_nothing_is_recorded(self):
        self.cr.commit()  # pylint: disable=invalid-commit
        forged = self.opener.post(
            "http://127.0.0.1:%d/livechat/rate/%s" % (self._port(), "T" * 32),
            data={"rating": "good"},
        )
        self.env.clear()
        self.assertEqual(forged.status_code, 400)
        self.assertFalse(self.session.rating)
        self.assertEqual(
            self.get("/livechat/rate/%s/good" % ("U" * 32)).status_code, 404
        )
        self.assertEqual(self.get("/livechat/rate/short/good").status_code, 404)

    def test_the_email_question_carries_one_link_per_answer(self):
        connector = self.env["livechat.connector.email"].new({})
        buttons = [
            (rating.button_data("T" * 32, value), label)
            for value, label in self.session._rating_labels()
        ]
        sent = {}
        connector._provider_deliver = lambda message, account, text: sent.update(
            text=text
        )
        question = self.env["livechat.message"].new(
            {"session_id": self.session.id, "is_rating_request": True}
        )
        connector._provider_ask_rating(
            question, self.session.account_id, "Rate us?", buttons
        )
        self.assertRegex(
            sent["text"],
            r"^Rate us\?\n\n😀 Good: \S+/livechat/rate/T{32}/good\n"
            r"😐 Okay: \S+/livechat/rate/T{32}/okay\n"
            r"😞 Bad: \S+/livechat/rate/T{32}/bad$",
        )
