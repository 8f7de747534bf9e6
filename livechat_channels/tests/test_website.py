# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website chat's public routes over HTTP: what a visitor's token may
reach, the limits, and what the stored text can and cannot do."""

import json
import uuid

from .common import ChannelCase


class TestWebsiteChat(ChannelCase):

    def setUp(self):
        super(TestWebsiteChat, self).setUp()
        self.chat.website_enabled = True
        self.key = self.chat.website_key

    def call(self, route, **params):
        response = self.post_json(
            route,
            None,
            raw=json.dumps(params).encode(),
            headers={"Content-Type": "text/plain", "Origin": "https://shop.example"},
        )
        return response

    def start(self, token=None):
        response = self.call("/livechat/visitor/start", key=self.key, token=token)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        return response.json()

    def send(self, token, body, client_id=None, **extra):
        return self.call(
            "/livechat/visitor/post",
            key=self.key,
            token=token,
            client_id=client_id or str(uuid.uuid4()),
            body=body,
            **extra,
        )

    def test_snippet_script_carries_the_chat_settings(self):
        # The chat's connected bot is offered as a link; a disconnected one is not.
        self.env["livechat.connector.telegram"].create(
            {
                "name": "Bot",
                "chat_id": self.chat.id,
                "bot_token": "1:x",
            }
        ).write({"state": "connected", "bot_username": "shop_bot"})
        self.cr.commit()  # pylint: disable=invalid-commit
        response = self.url_open("/livechat/widget/%s.js" % self.key)
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/javascript", response.headers["Content-Type"])
        self.assertIn("function livechatVisitor(config)", response.text)
        self.assertIn('"key": "%s"' % self.key, response.text)
        self.assertIn('"url": "https://t.me/shop_bot"', response.text)
        self.assertNotIn("wa.me", response.text)
        self.assertIn(
            self.chat.website_snippet.split('"')[1].split("/livechat")[1],
            "/livechat/widget/%s.js" % self.key,
        )
        self.chat.website_enabled = False
        self.cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(
            self.url_open("/livechat/widget/%s.js" % self.key).status_code, 404
        )

    def test_visitor_writes_and_keeps_the_conversation_with_the_token(self):
        token = self.start()["token"]
        response = self.send(
            token,
            "Do you ship to Spain?",
            name="Vera Visitor",
            email="vera@example.com",
        )
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.messages("website")
        self.assertEqual(message.session_id.state, "queued")
        account = message.author_account_id
        self.assertEqual(account.name, "Vera Visitor")
        self.assertEqual(account.email, "vera@example.com")
        self.assertNotIn(token, account.external_id, "only the token's hash is stored")
        # The operator answers; a reload (start with the kept token) shows both.
        self.take_and_reply(message, "Yes, in 3 days.")
        again = self.start(token)
        self.assertEqual(again["token"], token)
        self.assertEqual(
            [(m["direction"], m["text"]) for m in again["messages"]],
            [("in", "Do you ship to Spain?"), ("out", "Yes, in 3 days.")],
        )
        # Without show-operator-name the chat answers under its own name.
        self.assertEqual(again["messages"][1]["author"], self.chat.name)

    def test_a_message_sent_twice_is_stored_once(self):
        token = self.start()["token"]
        client_id = str(uuid.uuid4())
        first = self.send(token, "Hello", client_id=client_id).json()
        second = self.send(token, "Hello", client_id=client_id).json()
        self.assertEqual(first["message"]["id"], second["message"]["id"])
        self.assertEqual(len(self.messages("website")), 1)

    def test_another_token_reaches_nothing(self):
        token = self.start()["token"]
        self.send(token, "My address is 1 Secret Lane")
        stranger = self.start()["token"]
        self.assertNotEqual(stranger, token)
        self.assertEqual(self.start(stranger)["messages"], [])
        response = self.call(
            "/livechat/visitor/history", key=self.key, token=stranger, before_id=10**9
        )
        self.assertEqual(response.json(), {"messages": []})
        # A token made up by hand opens a new, empty conversation.
        self.assertEqual(self.start("A" * 43)["messages"], [])

    def test_bad_input_gets_a_clear_400_and_stores_nothing(self):
        token = self.start()["token"]
        cases = [
            ({"body": ""}, "empty"),
            ({"body": "x" * 4001}, "longer than 4000"),
            ({"body": 42}, "empty"),
            ({"client_id": "no"}, "message id"),
            ({"token": "short"}, "token"),
            ({"email": "not-an-email"}, "email"),
            ({"key": "unknown-key-1234567"}, "Unknown website chat"),
        ]
        for override, reason in cases:
            params = dict(
                key=self.key, token=token, client_id=str(uuid.uuid4()), body="Hello"
            )
            params.update(override)
            response = self.call("/livechat/visitor/post", **params)
            self.assertEqual(response.status_code, 400, override)
            self.assertIn(reason, response.json()["error"])
        response = self.post_json(
            "/livechat/visitor/post",
            None,
            raw=b"[1, 2]",
            headers={"Content-Type": "text/plain"},
        )
        self.assertEqual(response.status_code, 400)
        response = self.post_json(
            "/livechat/visitor/post",
            None,
            raw=b"x" * 70000,
            headers={"Content-Type": "text/plain"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.messages("website"))

    def test_rate_limit_per_visitor(self):
        token = self.start()["token"]
        statuses = [self.send(token, "message %d" % n).status_code for n in range(22)]
        self.assertEqual(statuses[:20], [200] * 20)
        self.assertEqual(statuses[20:], [429, 429])
        self.assertEqual(len(self.messages("website")), 20)
        # Another visitor is not slowed down by the first one.
        self.assertEqual(self.send(self.start()["token"], "hi").status_code, 200)

    def test_stored_text_cannot_run_as_html(self):
        token = self.start()["token"]
        payload = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
        self.send(token, payload, name='<b onmouseover="alert(3)">Eve</b>')
        [message] = self.messages("website")
        self.assertNotIn("<img", message.body)
        self.assertNotIn("<script", message.body)
        self.assertIn("&lt;img", message.body)
        self.assertEqual(
            message.author_account_id.name, '<b onmouseover="alert(3)">Eve</b>'
        )
        self.assertEqual(self.start(token)["messages"][0]["text"].strip(), payload)

    def test_operator_reply_goes_to_the_visitor_bus_channel(self):
        token = self.start()["token"]
        self.send(token, "Anyone there?")
        reply = self.take_and_reply(self.messages("website"), "Here!")
        self.assertEqual(reply.delivery_state, "sent")
        channel = self.env["livechat.website"].poll_channel(token)
        self.assertNotIn(token, channel)
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s", (json.dumps(channel),)
        )
        [payload] = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        self.assertEqual(payload["type"], "livechat.visitor_message")
        self.assertEqual(payload["message"]["text"].strip(), "Here!")
