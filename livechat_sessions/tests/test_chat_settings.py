# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError

from .common import LivechatCase


class TestChatSettings(LivechatCase):
    """Supervisors change their own chats' staff, naming, closing message
    and routing; the rest of a chat's settings is the administrators'."""

    def test_supervisor_changes_what_their_role_allows(self):
        chat = self.chat_a.sudo(self.supervisor)
        self.assertFalse(chat.user_can_configure)
        chat.write(
            {
                "operator_group_ids": [(4, self.team_b.id)],
                "session_name_template": "{customer} - {chat}",
                "closing_message": "Thanks for writing to us.",
                "show_operator_name": True,
            }
        )
        self.assertIn(self.team_b, self.chat_a.operator_group_ids)
        self.assertEqual(self.chat_a.closing_message, "Thanks for writing to us.")
        # Routing rules of their chat, written from the chat's form.
        chat.write(
            {
                "routing_rule_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Billing",
                            "text_contains": "invoice",
                            "group_id": self.team_a.id,
                        },
                    )
                ]
            }
        )
        self.assertEqual(self.chat_a.routing_rule_ids.mapped("name"), ["Billing"])
        self.assertTrue(self.chat_a.sudo(self.manager).user_can_configure)

    def test_supervisor_cannot_change_the_administrators_settings(self):
        chat = self.chat_a.sudo(self.supervisor)
        server_action = self.env["ir.actions.server"].create(
            {
                "name": "Anything",
                "model_id": self.env.ref("livechat_sessions.model_livechat_session").id,
                "state": "code",
                "code": "pass",
            }
        )
        for vals in (
            {"name": "Renamed"},
            {"active": False},
            {"process_create_ids": [(4, server_action.id)]},
            {"bind_model_ids": [(6, 0, [])]},
            # Mixed with an allowed change: nothing is written.
            {"closing_message": "Bye", "process_close_ids": [(4, server_action.id)]},
        ):
            with self.assertRaisesRegex(AccessError, "Only live chat administrators"):
                chat.write(vals)
        self.assertEqual(self.chat_a.name, "Chat A")
        self.assertFalse(self.chat_a.closing_message)
        self.assertFalse(self.chat_a.process_close_ids)
        with self.assertRaises(AccessError):
            chat.toggle_active()
        with self.assertRaises(AccessError):
            self.env["livechat.chat"].sudo(self.supervisor).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            chat.unlink()

    def test_only_their_own_chats_and_not_as_operator_or_reader(self):
        # Chat B: not theirs, even with a role in it.
        self.chat_b.operator_group_ids |= self.leads_a
        with self.assertRaises(AccessError):
            self.chat_b.sudo(self.supervisor).write({"closing_message": "x"})
        for user in (self.operator, self.reader):
            with self.assertRaises(AccessError):
                self.chat_a.sudo(user).write({"closing_message": "x"})
        self.assertFalse(self.chat_a.closing_message)
        self.assertFalse(self.chat_b.closing_message)

    def test_routing_rules_of_their_chats_without_code(self):
        Rule = self.env["livechat.routing.rule"].sudo(self.supervisor)
        rule = Rule.create(
            {
                "name": "Mornings",
                "chat_id": self.chat_a.id,
                "group_id": self.team_a.id,
                "hour_from": 8,
                "hour_to": 12,
            }
        )
        rule.write({"text_contains": "order"})
        # A regular expression or a domain is the administrators'.
        with self.assertRaisesRegex(AccessError, "regular expression"):
            rule.write({"text_regex": "(a+)+$"})
        with self.assertRaisesRegex(AccessError, "regular expression"):
            Rule.create(
                {
                    "name": "Dom",
                    "chat_id": self.chat_a.id,
                    "group_id": self.team_a.id,
                    "account_domain": "[('name', 'ilike', 'x')]",
                }
            )
        # Another chat's rules: neither seen nor written.
        other = self.env["livechat.routing.rule"].create(
            {"name": "B rule", "chat_id": self.chat_b.id, "group_id": self.team_b.id}
        )
        self.assertFalse(Rule.search([("id", "=", other.id)]))
        with self.assertRaises(AccessError):
            other.sudo(self.supervisor).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            Rule.create(
                {
                    "name": "Sneaky",
                    "chat_id": self.chat_b.id,
                    "group_id": self.team_b.id,
                }
            )
        # To an operator of the chat only: anyone else could not answer.
        with self.assertRaisesRegex(ValidationError, "does not operate"):
            Rule.create(
                {
                    "name": "Outside",
                    "chat_id": self.chat_a.id,
                    "user_id": self.operator_b.id,
                }
            )
        Rule.create(
            {"name": "To Op A", "chat_id": self.chat_a.id, "user_id": self.operator.id}
        )
        # Administrators write both.
        rule.sudo(self.manager).write({"text_regex": "^order"})
        self.assertEqual(rule.text_regex, "^order")
