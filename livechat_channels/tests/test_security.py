# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an attacker from outside, a visitor, an employee or a staff member
of another role must not achieve through the channels (SECURITY.md)."""

import base64
import json
import uuid
from unittest import mock

from odoo.exceptions import AccessError, UserError, ValidationError

from ..models import livechat_website
from ..models.livechat_connector_email import email_key
from .common import ChannelCase
from .fake_providers import FakeTelegram
from .test_email import customer_email


class TestChannelSecurity(ChannelCase):

    def setUp(self):
        super(TestChannelSecurity, self).setUp()
        ref = self.env.ref
        self.supervisor = self.env["res.users"].create(
            {
                "name": "Channel Supervisor",
                "login": "channel_supervisor",
                "livechat_status": "online",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            ref("livechat_sessions.group_livechat_supervisor").id,
                            self.leads.id,
                        ],
                    )
                ],
            }
        )
        self.chat.website_enabled = True

    def visitor(self, route, **params):
        return self.post_json(
            route,
            None,
            raw=json.dumps(params).encode(),
            headers={"Content-Type": "text/plain"},
        )

    # Website visitors ----------------------------------------------------------

    def test_nobody_creates_a_visitors_account_by_hand(self):
        manager = self.env["res.users"].create(
            {
                "name": "Channel Manager",
                "login": "channel_manager",
                "groups_id": [
                    (
                        6,
                        0,
                        [self.env.ref("livechat_sessions.group_livechat_manager").id],
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.env["livechat.account"].sudo(manager).create(
                {"name": "Forged", "channel": "website", "external_id": "v-123"}
            )

    def test_visitors_cannot_mint_their_own_tokens(self):
        key = self.chat.website_key
        minted = "A" * 54
        response = self.visitor(
            "/livechat/visitor/post",
            key=key,
            token=minted,
            client_id=str(uuid.uuid4()),
            body="Hello",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("token", response.json()["error"])
        # /start answers a made-up token with one of ours.
        issued = self.visitor("/livechat/visitor/start", key=key, token=minted).json()[
            "token"
        ]
        self.assertNotEqual(issued, minted)
        response = self.visitor(
            "/livechat/visitor/post",
            key=key,
            token=issued,
            client_id=str(uuid.uuid4()),
            body="Hello",
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(len(self.messages("website")), 1)

    def test_new_tokens_are_limited_per_address(self):
        key = self.chat.website_key
        statuses = [
            self.visitor("/livechat/visitor/start", key=key).status_code
            for _n in range(livechat_website.NEW_TOKEN_LIMIT + 2)
        ]
        self.assertEqual(
            statuses[: livechat_website.NEW_TOKEN_LIMIT],
            [200] * livechat_website.NEW_TOKEN_LIMIT,
        )
        self.assertEqual(statuses[-2:], [429, 429])

    def test_long_polls_are_limited_per_address(self):
        with mock.patch.object(livechat_website, "POLL_LIMIT", 2):
            statuses = []
            for _n in range(3):
                # A bad token answers at once: the test counts the polls
                # without waiting on Odoo's dispatcher.
                statuses.append(
                    self.visitor(
                        "/longpolling/livechat/visitor", token="bad"
                    ).status_code
                )
        self.assertEqual(statuses, [400, 400, 429])

    def test_the_visitors_methods_are_not_served_over_rpc(self):
        Website = self.env["livechat.website"]
        for name in ("start", "history", "post", "file", "poll_channel"):
            self.assertFalse(hasattr(type(Website), name), name)

    def test_a_fault_of_ours_is_a_logged_500_not_a_400(self):
        key = self.chat.website_key
        token = self.visitor("/livechat/visitor/start", key=key).json()["token"]
        model = type(self.env["livechat.website"])
        with mock.patch.object(
            model, "_visitor_history", side_effect=TypeError("a bug")
        ), self.assertLogs(
            "odoo.addons.livechat_channels.controllers.website", level="ERROR"
        ):
            response = self.visitor("/livechat/visitor/history", key=key, token=token)
        self.assertEqual(response.status_code, 500)
        self.assertNotIn("bug", response.text)
        # Bad input is still the visitor's 400, with the reason.
        response = self.visitor(
            "/livechat/visitor/history", key=key, token=token, before_id="x"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("before_id", response.json()["error"])

    def test_the_website_colour_is_only_ever_a_colour(self):
        for bad in (
            "red",
            "#12345",
            "#123456;}</style><script>alert(1)</script>",
            "url(javascript:alert(1))",
        ):
            with self.assertRaises(ValidationError):
                self.chat.website_color = bad
        self.chat.website_color = "#00AA11"
        # A value stored before the check existed never reaches a page.
        self.env.cr.execute(
            "UPDATE livechat_chat SET website_color = %s WHERE id = %s",
            ("red}</style><script>alert(1)</script>", self.chat.id),
        )
        self.chat.invalidate_cache()
        config = json.loads(
            self.env["livechat.website"]._widget_config(self.chat, "http://localhost")
        )
        self.assertEqual(config["color"], "#875A7B")

    # Employees -----------------------------------------------------------------

    def test_the_employee_chat_trusts_the_accounts_employee_not_its_id(self):
        employees = self.env["res.groups"].create({"name": "Security customers"})
        self.chat.customer_group_ids = employees
        user_group = self.env.ref("base.group_user")
        erin, mallory = [
            self.env["res.users"].create(
                {
                    "name": name,
                    "login": name.lower(),
                    "groups_id": [(6, 0, [user_group.id, employees.id])],
                }
            )
            for name in ("Erin", "Mallory")
        ]
        session_id = (
            self.env["livechat.internal"]
            .sudo(erin)
            .start(self.chat.id, "Private matter")
        )
        session = self.env["livechat.session"].browse(session_id)
        # What an edited account looked like before identity fields were
        # locked: Mallory's id on Erin's account.
        self.env.cr.execute(
            "UPDATE livechat_account SET external_id = %s WHERE id = %s",
            (str(mallory.id), session.account_id.id),
        )
        self.env["livechat.account"].invalidate_cache()
        with self.assertRaises(AccessError):
            self.env["livechat.internal"].sudo(mallory).messages(session_id)
        self.assertTrue(self.env["livechat.internal"].sudo(erin).messages(session_id))

    # Email ---------------------------------------------------------------------

    def test_emails_are_deduplicated_per_inbox(self):
        other_chat = self.env["livechat.chat"].create(
            {
                "name": "Other chat",
                "operator_group_ids": [(6, 0, self.team.ids)],
                "supervisor_group_ids": [(6, 0, self.leads.ids)],
            }
        )
        values = {
            "imap_host": "127.0.0.1",
            "imap_port": 9,
            "imap_ssl": False,
            "imap_login": "x",
            "smtp_host": "127.0.0.1",
            "smtp_port": 9,
        }
        inbox_a, inbox_b = [
            self.env["livechat.connector.email"].create(
                dict(values, name=name, chat_id=chat.id, email_address=address)
            )
            for name, chat, address in (
                ("A", self.chat, "a@shop.example"),
                ("B", other_chat, "b@shop.example"),
            )
        ]
        inbox_a._take(
            1,
            1,
            customer_email(
                "<shared@example.com>", "First chat", subject="Original subject"
            ),
        )
        # Someone sends the other inbox an email with the same Message-Id.
        inbox_b._take(
            1,
            1,
            customer_email(
                "<shared@example.com>",
                "Crafted",
                subject="Rewritten",
                sender="Eve <eve@example.com>",
            ),
        )
        Message = self.env["livechat.message"]
        first = Message.search(
            [("chat_id", "=", self.chat.id), ("channel", "=", "email")]
        )
        second = Message.search(
            [("chat_id", "=", other_chat.id), ("channel", "=", "email")]
        )
        self.assertEqual(len(first), 1)
        self.assertEqual(len(second), 1)
        self.assertEqual(first.email_subject, "Original subject")
        self.assertEqual(
            first.external_id, email_key(inbox_a.id, "<shared@example.com>")
        )
        # The same email fetched again in its own inbox is stored once.
        inbox_a._take(
            1,
            2,
            customer_email(
                "<shared@example.com>", "First chat", subject="Original subject"
            ),
        )
        self.assertEqual(
            len(
                Message.search(
                    [("chat_id", "=", self.chat.id), ("channel", "=", "email")]
                )
            ),
            1,
        )

    # Connectors ----------------------------------------------------------------

    def test_only_administrators_make_the_server_call_a_provider(self):
        token = "42:SECRET-token-value"
        bot = FakeTelegram(token)
        self.addCleanup(bot.stop)
        connector = self.env["livechat.connector.telegram"].create(
            {
                "name": "Bot",
                "chat_id": self.chat.id,
                "bot_token": token,
                "api_url": bot.url,
            }
        )
        connector.action_connect()
        calls = len(bot.calls)
        for user in (self.supervisor, self.operator):
            for action in ("action_test", "action_connect", "action_disconnect"):
                with self.assertRaises(AccessError):
                    getattr(connector.sudo(user), action)()
        # Nothing reached Telegram: the webhook is still there.
        self.assertEqual(len(bot.calls), calls)
        self.assertIsNotNone(bot.webhook)
        self.assertEqual(connector.state, "connected")

    def test_errors_never_show_a_credential(self):
        token = "42:SECRET-token-value"
        connector = self.env["livechat.connector.telegram"].create(
            {
                "name": "Bot",
                "chat_id": self.chat.id,
                "bot_token": token,
                "api_url": "http://127.0.0.1:9",
            }
        )
        with self.assertRaises(UserError) as raised:
            connector.action_connect()
        self.assertNotIn("SECRET", raised.exception.name)
        self.assertIn("127.0.0.1", raised.exception.name)
        # Recorded on the connector (its own transaction), without the token.
        self.env.cr.execute(
            "SELECT last_error FROM livechat_connector_telegram WHERE id = %s",
            (connector.id,),
        )
        error = self.env.cr.fetchone()[0]
        self.assertTrue(error)
        self.assertNotIn("SECRET", error)
        self.assertNotIn(token, connector._scrub("x %s y" % token))

    def test_provider_files_are_typed_by_content(self):
        message = self.chat._receive_message(
            "telegram",
            {"external_id": "tg-files"},
            "files",
            attachments=[
                {
                    "name": "x.html",
                    "mimetype": "image/png",
                    "datas": base64.b64encode(b"<script>alert(1)</script>"),
                }
            ],
        )
        self.assertEqual(message.attachment_ids.mimetype, "text/plain")
