# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError

from .common import LivechatCase


class TestResponseTemplates(LivechatCase):
    def setUp(self):
        super(TestResponseTemplates, self).setUp()
        self.session = self.receive("hi", name="Ann").session_id
        self.session.sudo(self.operator).action_take()
        Template = self.env["livechat.response.template"]
        self.shared = Template.create(
            {
                "name": "Greeting",
                "scope": "shared",
                "chat_id": self.chat_a.id,
                "shortcut": "/hello",
                "body": "Hello {customer}, {operator} from {chat} here. {unknown}",
            }
        )
        self.other_chat = Template.create(
            {
                "name": "Other chat",
                "scope": "shared",
                "chat_id": self.chat_b.id,
                "body": "B only",
            }
        )
        self.personal = Template.sudo(self.operator).create(
            {"name": "My sign-off", "body": "Bye {customer}!"}
        )
        self.article = Template.create(
            {
                "name": "Returns policy",
                "kind": "article",
                "scope": "shared",
                "chat_id": self.chat_a.id,
                "url": "https://example.com/returns",
                "summary": "How to return an item",
            }
        )

    def test_substitution(self):
        items = (
            self.env["livechat.response.template"]
            .sudo(self.operator)
            .get_for_session(self.session.id)
        )
        texts = {item["name"]: item["text"] for item in items}
        self.assertEqual(
            texts["Greeting"], "Hello Ann, Op A from Chat A here. {unknown}"
        )
        self.assertEqual(texts["My sign-off"], "Bye Ann!")
        self.assertEqual(texts["Returns policy"], "https://example.com/returns")
        self.assertNotIn("Other chat", texts)

    def test_shortcut_and_title_search(self):
        Template = self.env["livechat.response.template"].sudo(self.operator)
        self.assertEqual(
            [i["name"] for i in Template.get_for_session(self.session.id, "/hel")],
            ["Greeting"],
        )
        self.assertEqual(
            [i["name"] for i in Template.get_for_session(self.session.id, "sign")],
            ["My sign-off"],
        )

    def test_personal_templates_are_private(self):
        Template = self.env["livechat.response.template"]
        self.assertNotIn(self.personal, Template.sudo(self.operator2).search([]))
        with self.assertRaises(AccessError):
            self.personal.sudo(self.operator2).write({"body": "hijacked"})
        # Operators read the shared ones of their chats but do not change them.
        self.assertIn(self.shared, Template.sudo(self.operator2).search([]))
        with self.assertRaises(AccessError):
            self.shared.sudo(self.operator).write({"body": "changed"})
        self.shared.sudo(self.supervisor).write({"body": "Hi {customer}"})
        with self.assertRaises(AccessError):
            Template.sudo(self.reader).search([])

    def test_someone_elses_session_is_refused(self):
        other = self.receive("x", chat=self.chat_b, account="tg-b").session_id
        with self.assertRaises(AccessError):
            self.env["livechat.response.template"].sudo(self.operator).get_for_session(
                other.id
            )

    def test_validation(self):
        Template = self.env["livechat.response.template"]
        for vals in (
            {"name": "Empty"},
            {"name": "No link", "kind": "article"},
            {"name": "No chat", "scope": "shared", "body": "x"},
            {"name": "Bad shortcut", "body": "x", "shortcut": "hello"},
        ):
            with self.assertRaises(ValidationError):
                Template.create(vals)
