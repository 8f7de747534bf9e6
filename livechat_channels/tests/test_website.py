# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The website chat's public routes over HTTP: what a visitor's token may
reach, the limits, and what the stored text can and cannot do."""

import base64
import json
import uuid

from .common import VisitorCase


class TestWebsiteChat(VisitorCase):

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

    def test_the_preview_page_carries_the_snippet_for_logged_in_users(self):
        self.chat.website_title = "<script>alert(1)</script> Help"
        self.cr.commit()  # pylint: disable=invalid-commit
        url = "/livechat/preview/%s" % self.key
        # Anonymous visitors are sent to the login page (not followed: the
        # login page builds the site's assets, slow on a busy machine).
        response = self.opener.get(
            "http://127.0.0.1:%d%s" % (self._port(), url),
            allow_redirects=False,
            timeout=30,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        self.authenticate("admin", "admin")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("text/html", response.headers["Content-Type"])
        self.assertIn(
            '<script src="/livechat/widget/%s.js" async>' % self.key, response.text
        )
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; Help", response.text)
        self.assertNotIn("<script>alert(1)", response.text)
        self.assertEqual(
            self.url_open("/livechat/preview/%s" % ("x" * 32)).status_code, 404
        )
        self.assertIn("/livechat/preview/", self.chat.website_preview_url)

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
        channel = self.env["livechat.website"]._poll_channel(token)
        self.assertNotIn(token, channel)
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s", (json.dumps(channel),)
        )
        [payload] = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        self.assertEqual(payload["type"], "livechat.visitor_message")
        self.assertEqual(payload["message"]["text"].strip(), "Here!")

    def test_the_staff_internal_notes_never_reach_the_visitor(self):
        token = self.start()["token"]
        self.send(token, "Where is my parcel?")
        reply = self.take_and_reply(self.messages("website"), "Looking now")
        reply.session_id.sudo(self.operator).add_note("Customer was rude before")
        # Not on the visitor's channel (only the reply is)...
        channel = self.env["livechat.website"]._poll_channel(token)
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s", (json.dumps(channel),)
        )
        payloads = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        self.assertEqual(
            [p["message"]["text"].strip() for p in payloads], ["Looking now"]
        )
        # ...nor in their history after a reload.
        history = self.start(token)["messages"]
        self.assertEqual(
            [m["text"] for m in history], ["Where is my parcel?", "Looking now"]
        )

    def test_closing_tells_the_visitor_with_the_closing_message(self):
        token = self.start()["token"]
        self.send(token, "Thanks, that is all.")
        self.chat.closing_message = "Thank you for writing to us."
        reply = self.take_and_reply(self.messages("website"), "You are welcome!")
        reply.session_id.sudo(self.operator).action_close()
        channel = self.env["livechat.website"]._poll_channel(token)
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s ORDER BY id",
            (json.dumps(channel),),
        )
        payloads = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        self.assertEqual(
            [p["type"] for p in payloads],
            ["livechat.visitor_message"] * 2 + ["livechat.visitor_closed"],
        )
        self.assertEqual(
            payloads[1]["message"]["text"].strip(), "Thank you for writing to us."
        )
        self.assertEqual(payloads[2]["session_id"], reply.session_id.id)

    # Files ----------------------------------------------------------------------

    PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

    def upload(self, token, name, content, body="", **extra):
        return self.call(
            "/livechat/visitor/upload",
            key=self.key,
            token=token,
            client_id=str(uuid.uuid4()),
            body=body,
            file={"name": name, "data": base64.b64encode(content).decode()},
            **extra,
        )

    def get(self, url):
        self.cr.commit()  # pylint: disable=invalid-commit
        return self.url_open(url)

    def test_visitor_attaches_a_picture_and_only_its_link_serves_it(self):
        token = self.start()["token"]
        response = self.upload(token, "C:\\photos\\../broken screen.png", self.PNG)
        self.assertEqual(response.status_code, 200, response.text)
        [shown] = response.json()["message"]["attachments"]
        self.assertEqual(shown["name"], "broken screen.png")
        self.assertTrue(shown["image"])
        # Stored with the message, as the operators see it.
        [message] = self.messages("website")
        self.assertEqual(message.body, "<p>[broken screen.png]</p>")
        self.assertEqual(message.attachment_ids.mimetype, "image/png")
        self.assertEqual(base64.b64decode(message.attachment_ids.datas), self.PNG)
        # The link the visitor's window got serves the picture.
        served = self.get(shown["url"])
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.content, self.PNG)
        self.assertEqual(served.headers["Content-Type"], "image/png")
        self.assertEqual(served.headers["X-Content-Type-Options"], "nosniff")
        # A link made up for it, or for another file, serves nothing.
        attachment_id, signature = shown["url"].split("/")[-2:]
        made_up = [
            "/livechat/visitor/file/%s/%s" % (attachment_id, "0" * 40),
            "/livechat/visitor/file/%d/%s" % (int(attachment_id) + 1, signature),
        ]
        for url in made_up:
            self.assertEqual(self.get(url).status_code, 404)
        # A caption comes with the picture; a reload shows both.
        self.upload(token, "label.pdf", b"%PDF-1.4 label", body="My label")
        history = self.start(token)["messages"]
        self.assertEqual(
            [m["text"] for m in history], ["[broken screen.png]", "My label"]
        )
        self.assertEqual(history[1]["attachments"][0]["name"], "label.pdf")
        self.assertFalse(history[1]["attachments"][0]["image"])

    def test_only_pictures_and_pdf_of_at_most_5_mb_are_accepted(self):
        from ..engine import visitor

        token = self.start()["token"]
        cases = [
            # An HTML page named like a picture: the content decides.
            (("page.png", b"<html><script>alert(1)</script></html>"), "Only pictures"),
            (("big.png", self.PNG + bytes(visitor.MAX_VISITOR_FILE)), "at most 5 MB"),
            (("empty.png", b""), "empty"),
        ]
        for (name, content), reason in cases:
            response = self.upload(token, name, content)
            self.assertEqual(response.status_code, 400, name)
            self.assertIn(reason, response.json()["error"])
        response = self.call(
            "/livechat/visitor/upload",
            key=self.key,
            token=token,
            client_id=str(uuid.uuid4()),
            body="",
            file={"name": "x.png", "data": "%%"},
        )
        self.assertIn("not base64", response.json()["error"])
        # Through the plain route a file is bound by its smaller size limit.
        response = self.send(
            token,
            "photo",
            file={"name": "x.png", "data": base64.b64encode(self.PNG * 80).decode()},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("larger than", response.json()["error"])
        self.assertFalse(self.messages("website"))

    def test_an_operator_file_only_downloads(self):
        token = self.start()["token"]
        self.send(token, "Send me the manual")
        [message] = self.messages("website")
        attachment = (
            self.env["ir.attachment"]
            .sudo(self.operator)
            .create(
                {
                    "name": "manual.html",
                    "datas_fname": "manual.html",
                    "datas": base64.b64encode(
                        b"<script>alert(document.cookie)</script>"
                    ),
                    "mimetype": "text/html",
                }
            )
        )
        self.take_and_reply(message, "Here it is", attachment_ids=attachment.ids)
        [reply] = [m for m in self.start(token)["messages"] if m["direction"] == "out"]
        [shown] = reply["attachments"]
        self.assertFalse(shown["image"])
        served = self.get(shown["url"])
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.headers["Content-Type"], "application/octet-stream")
        self.assertTrue(served.headers["Content-Disposition"].startswith("attachment"))
        self.assertIn(b"<script>", served.content)
