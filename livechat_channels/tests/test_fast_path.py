# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhooks answer the same whether the fast path takes them or Odoo's
dispatcher and its routes do (controllers/fast_path.py: one route table,
two ways in)."""

import hashlib
import hmac
import json
from unittest import mock

from ..controllers import fast_path
from .common import ChannelCase
from .fake_providers import FakeTelegram
from .test_engine import tg_update, wa_notification

TOKEN = "123:FAST-token"
SECRET = "app-secret"


class TestFastPath(ChannelCase):

    def setUp(self):
        super(TestFastPath, self).setUp()
        self.bot = FakeTelegram(TOKEN)
        self.addCleanup(self.bot.stop)
        self.telegram = self.env["livechat.connector.telegram"].create(
            {
                "name": "Bot",
                "chat_id": self.chat.id,
                "bot_token": TOKEN,
                "api_url": self.bot.url,
            }
        )
        self.telegram.action_connect()
        self.whatsapp = self.env["livechat.connector.whatsapp"].create(
            {
                "name": "Number",
                "chat_id": self.chat.id,
                "phone_number_id": "1055",
                "access_token": "wa-token",
                "app_secret": SECRET,
            }
        )
        self.whatsapp.write({"state": "connected"})

    def requests(self, update_id):
        """(label, method, path, body, headers) of the webhooks' cases."""
        tg_path = self.telegram._webhook_path()
        tg_headers = {"X-Telegram-Bot-Api-Secret-Token": self.telegram.webhook_secret}
        wa_path = self.whatsapp._webhook_path()
        notification = json.dumps(
            wa_notification(message_id="wamid.fast.%d" % update_id)
        ).encode()
        signature = (
            "sha256="
            + hmac.new(SECRET.encode(), notification, hashlib.sha256).hexdigest()
        )
        verify = "%s?hub.mode=subscribe&hub.challenge=42&hub.verify_token=%s"
        return [
            (
                "telegram update",
                "POST",
                tg_path,
                json.dumps(tg_update(update_id, "Fast?")).encode(),
                tg_headers,
            ),
            (
                "telegram update again",
                "POST",
                tg_path,
                json.dumps(tg_update(update_id, "Fast?")).encode(),
                tg_headers,
            ),
            (
                "telegram wrong secret",
                "POST",
                tg_path,
                json.dumps(tg_update(update_id + 1)).encode(),
                {"X-Telegram-Bot-Api-Secret-Token": "guess"},
            ),
            (
                "telegram unknown bot",
                "POST",
                "/livechat/telegram/no-such-key",
                json.dumps(tg_update(update_id + 1)).encode(),
                tg_headers,
            ),
            ("telegram not JSON", "POST", tg_path, b"{not json", tg_headers),
            (
                "telegram too large",
                "POST",
                tg_path,
                b" " * (1024 * 1024 + 1),
                tg_headers,
            ),
            (
                "whatsapp verify",
                "GET",
                verify % (wa_path, self.whatsapp.verify_token),
                None,
                {},
            ),
            (
                "whatsapp wrong verify token",
                "GET",
                verify % (wa_path, "guess"),
                None,
                {},
            ),
            (
                "whatsapp notification",
                "POST",
                wa_path,
                notification,
                {"X-Hub-Signature-256": signature},
            ),
            (
                "whatsapp bad signature",
                "POST",
                wa_path,
                notification,
                {"X-Hub-Signature-256": "sha256=00"},
            ),
        ]

    def send(self, method, path, body, headers):
        self.cr.commit()  # pylint: disable=invalid-commit
        url = "http://127.0.0.1:%d%s" % (self._port(), path)
        response = self.opener.request(
            method,
            url,
            data=body,
            timeout=30,
            headers=dict({"Content-Type": "application/json"}, **headers),
        )
        self.env.clear()
        return response.status_code, response.headers.get("Content-Type"), response.text

    def answers(self, fast, update_id):
        """Every case's answer, through the fast path or Odoo's dispatcher;
        checks which one answered."""
        db = self.env.cr.dbname
        with mock.patch.object(fast_path, "ENABLED", fast), mock.patch.object(
            fast_path, "database_for", return_value=db
        ) as found:
            result = [
                (label, self.send(method, path, body, headers))
                for label, method, path, body, headers in self.requests(update_id)
            ]
        # Only the fast path looks the database up itself.
        self.assertEqual(found.called, fast)
        return result

    def test_the_fast_path_and_odoos_routes_answer_alike(self):
        fast = self.answers(True, 1)
        routed = self.answers(False, 1000)
        self.assertEqual(
            [label for label, _answer in fast], [label for label, _answer in routed]
        )
        for (label, fast_answer), (_label, routed_answer) in zip(fast, routed):
            self.assertEqual(fast_answer, routed_answer, label)
        statuses = [answer[0] for _label, answer in fast]
        self.assertEqual(statuses, [200, 200, 403, 404, 400, 413, 200, 403, 200, 403])
        # Each way stored its update and its notification once.
        self.assertEqual(len(self.messages("telegram")), 2)
        self.assertEqual(len(self.messages("whatsapp")), 2)

    def test_routes_come_from_one_table(self):
        routes = {(verb, path) for _name, verb, path, _handler in fast_path.ROUTES}
        self.assertEqual(len(routes), len(fast_path.ROUTES))
        controller = fast_path.LivechatWebhooks
        for name, verb, path, handler in fast_path.ROUTES:
            routing = getattr(controller, name).routing
            self.assertEqual(routing["methods"], [verb])
            self.assertEqual(routing["routes"], [path.replace("<key>", "<string:key>")])
            self.assertEqual(
                fast_path.match(verb, path.replace("<key>", "abc")), (handler, "abc")
            )
        self.assertEqual(
            fast_path.match("POST", "/livechat/telegram/a/b"), (None, None)
        )
