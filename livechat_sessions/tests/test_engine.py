# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests.common import TransactionCase

from ..engine import naming, text


class TestNaming(TransactionCase):
    def test_default_template(self):
        name = naming.render(
            naming.DEFAULT_TEMPLATE,
            "Ann",
            "Support",
            "Telegram",
            datetime(2026, 3, 1, 9, 5),
            "UTC",
        )
        self.assertEqual(name, "Ann - 2026-03-01 09:05 UTC - Support")

    def test_datetime_format_and_time_zone(self):
        name = naming.render(
            '{DateTime(created, "%d.%m.%Y %H:%M")} {customer} ' "via {channel}",
            "Ann",
            "Support",
            "Email",
            datetime(2026, 3, 1, 23, 30),
            "Europe/Brussels",
        )
        # 23:30 UTC is the next day 00:30 in Brussels (CET, UTC+1).
        self.assertEqual(name, "02.03.2026 00:30 Ann via Email")

    def test_datetime_default_format(self):
        name = naming.render(
            "{DateTime(created)}", "", "", "", datetime(2026, 3, 1, 9, 5), "UTC"
        )
        self.assertEqual(name, "2026-03-01 09:05 UTC")

    def test_unknown_placeholder_is_refused(self):
        for template in (
            "{customer.password}",
            "{__import__('os')}",
            "{DateTime(now)}",
            "{}",
        ):
            with self.assertRaises(naming.TemplateError):
                naming.check_template(template)

    def test_the_chat_form_shows_an_example_and_the_error_lists_placeholders(self):
        Chat = self.env["livechat.chat"]
        draft = Chat.new(
            {"name": "Help", "session_name_template": "{chat}: {customer}", "tz": "UTC"}
        )
        self.assertEqual(draft.session_name_preview, "Help: Anna Petrova")
        draft.session_name_template = "{who} at {chat}"
        self.assertIn("{who} is not a placeholder", draft.session_name_preview)
        with self.assertRaises(ValidationError) as caught:
            Chat.create({"name": "Help", "session_name_template": "{who} at {chat}"})
        for placeholder in naming.PLACEHOLDERS:
            self.assertIn(placeholder, caught.exception.name)


class TestText(TransactionCase):
    def test_plain_text_is_escaped(self):
        html = text.to_html("<script>alert(1)</script>\nsecond line")
        self.assertNotIn("<script", html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn("<br", html)

    def test_html_is_sanitized(self):
        html = text.to_html(
            '<p onclick="x()">Hi <a href="javascript:alert(1)">x</a>'
            "<script>alert(1)</script></p>",
            "html",
        )
        self.assertIn("Hi", html)
        for bad in ("<script", "onclick", "javascript:"):
            self.assertNotIn(bad, html)

    def test_empty_and_oversized_bodies(self):
        for body in ("", "   \n  "):
            with self.assertRaises(text.BodyError):
                text.to_html(body)
        with self.assertRaises(text.BodyError):
            text.to_html("<script>alert(1)</script>", "html")
        with self.assertRaises(text.BodyError):
            text.to_html("x" * (text.MAX_BODY_LENGTH + 1))
        self.assertTrue(text.to_html("x" * text.MAX_BODY_LENGTH))

    def test_bad_types(self):
        with self.assertRaises(text.BodyError):
            text.to_html(42)
        with self.assertRaises(text.BodyError):
            text.to_html("hi", "markdown")
