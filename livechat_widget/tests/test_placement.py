# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests.common import SavepointCase
from odoo.tools import mute_logger


class TestPlacement(SavepointCase):
    """Placing the widget without code (Settings > Live Chats > Place the
    Widget): checks, the inherited view, removal."""

    @classmethod
    def setUpClass(cls):
        super(TestPlacement, cls).setUpClass()
        cls.Placement = cls.env["livechat.widget.placement"]
        cls.Fields = cls.env["ir.model.fields"]
        cls.partner_model = cls.env.ref("base.model_res_partner")
        cls.users_model = cls.env.ref("base.model_res_users")
        cls.accounts_field = cls.env.ref(
            "livechat_sessions.field_res_partner_livechat_account_ids"
        )

    def widget_nodes(self, model, view):
        # While modules install, Odoo leaves out views without an XML id
        # unless asked: the placed tab is one.
        arch = (
            self.env[model]
            .with_context(load_all_views=True)
            .fields_view_get(view_id=view.id, view_type="form")["arch"]
        )
        return etree.fromstring(arch).xpath("//field[@widget='livechat_messages']")

    def test_place_and_remove_by_account(self):
        view = self.env.ref("base.view_partner_simple_form")
        placement = self.Placement.create(
            {
                "model_id": self.partner_model.id,
                "view_id": view.id,
                "mode": "account",
                "account_field_id": self.accounts_field.id,
            }
        )
        self.assertEqual(placement.state, "draft")
        self.assertFalse(self.widget_nodes("res.partner", view))
        placement.action_place()
        self.assertEqual(placement.state, "placed")
        nodes = self.widget_nodes("res.partner", view)
        self.assertEqual(len(nodes), 1)
        self.assertIn("'path': 'livechat_account_ids'", nodes[0].get("options"))
        # This form has no notebook: the tab comes in a new one.
        self.assertEqual(nodes[0].getparent().getparent().tag, "notebook")
        placement.action_remove()
        self.assertEqual(placement.state, "draft")
        self.assertFalse(self.widget_nodes("res.partner", view))
        placement.action_place()
        view_added = placement.inherit_view_id
        placement.unlink()
        self.assertFalse(view_added.exists())

    def test_the_widget_takes_a_field_the_form_does_not_show(self):
        view = self.env.ref("base.view_users_form")
        arch = etree.fromstring(
            self.env["res.users"].fields_view_get(view_id=view.id, view_type="form")[
                "arch"
            ]
        )
        shown = arch.xpath("//field/@name")
        placement = self.Placement.create(
            {"model_id": self.users_model.id, "view_id": view.id, "mode": "item"}
        )
        placement.action_place()
        node = self.widget_nodes("res.users", view)[0]
        self.assertNotIn(node.get("name"), shown)

    def test_place_by_item_through_a_many2one(self):
        view = self.env.ref("base.view_users_form")
        link = self.Fields.search(
            [("model", "=", "res.users"), ("name", "=", "partner_id")]
        )
        placement = self.Placement.create(
            {
                "model_id": self.users_model.id,
                "view_id": view.id,
                "mode": "item",
                "link_field_id": link.id,
            }
        )
        placement.action_place()
        nodes = self.widget_nodes("res.users", view)
        self.assertIn("'mode': 'item'", nodes[0].get("options"))
        self.assertIn("'path': 'partner_id'", nodes[0].get("options"))
        # Changing the setting changes the tab.
        placement.write({"mode": "account", "account_field_id": self.accounts_field.id})
        nodes = self.widget_nodes("res.users", view)
        self.assertEqual(len(nodes), 1)
        self.assertIn(
            "'path': 'partner_id.livechat_account_ids'", nodes[0].get("options")
        )

    def test_requirements_are_checked_with_a_clear_error(self):
        country = self.env.ref("base.model_res_country")
        with self.assertRaisesRegex(ValidationError, "neither an Account-type field"):
            self.Placement.create(
                {
                    "model_id": country.id,
                    "view_id": self.env.ref("base.view_country_form").id,
                    "mode": "item",
                }
            )
        with self.assertRaisesRegex(ValidationError, "By account, choose"):
            self.Placement.create(
                {
                    "model_id": self.users_model.id,
                    "view_id": self.env.ref("base.view_users_form").id,
                    "mode": "account",  # res.users has no Account-type field itself
                }
            )
        with self.assertRaisesRegex(ValidationError, "not a view of"):
            self.Placement.create(
                {
                    "model_id": self.users_model.id,
                    "view_id": self.env.ref("base.view_partner_simple_form").id,
                    "mode": "item",
                }
            )
        Widget = self.env["livechat.widget"]
        with self.assertRaisesRegex(ValidationError, "By app item"):
            Widget._check_config("res.partner", "item", "country_id")
        with self.assertRaisesRegex(ValidationError, "Unknown widget mode"):
            Widget._check_config("res.partner", "everything", "")
        with self.assertRaisesRegex(ValidationError, "Unknown model"):
            Widget._check_config("no.such.model", "item", "")

    def test_pickers_offer_only_what_fits_what_was_chosen(self):
        offered = self.env["livechat.widget"]._qualifying_models()
        self.assertIn("res.partner", offered)
        for model in (
            "livechat.session",
            "queue.job",
            "ir.attachment",
            "ir.cron",
            "mail.thread",
            "bus.presence",
        ):
            self.assertNotIn(model, offered)
        self.assertIn("crm.lead", offered)
        self.assertIn("res.users", offered)  # their own (contact's) accounts
        domain = self.Placement.fields_get(["model_id"])["model_id"]["domain"]
        self.assertEqual(domain, [("model", "in", offered)])
        # An empty form is named as a new one, not ": (By account)".
        draft = self.Placement.new({"mode": "account"})
        self.assertEqual(draft.name, "New placement")
        # Users reach accounts through their contact: the Through Field
        # offers partner_id, never the creator or last editor; the Account
        # Field then offers the contact's Account-type fields only.
        draft.model_id = self.users_model
        result = draft._onchange_model_id()
        links = self.Fields.search(result["domain"]["link_field_id"]).mapped("name")
        self.assertIn("partner_id", links)
        self.assertNotIn("create_uid", links)
        self.assertNotIn("write_uid", links)
        draft.link_field_id = self.Fields.search(
            [("model", "=", "res.users"), ("name", "=", "partner_id")]
        )
        result = draft._onchange_mode()
        accounts = self.Fields.search(result["domain"]["account_field_id"])
        self.assertEqual(accounts.mapped("model"), ["res.partner"])
        self.assertIn(self.accounts_field, accounts)

    def test_one_placement_per_form(self):
        values = {
            "model_id": self.partner_model.id,
            "view_id": self.env.ref("base.view_partner_simple_form").id,
            "mode": "item",
        }
        self.Placement.create(values)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Placement.create(values)

    def test_only_administrators_place_the_widget(self):
        supervisor = self.env["res.users"].create(
            {
                "name": "Sup",
                "login": "sup_placement",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "livechat_sessions.group_livechat_supervisor"
                            ).id
                        ],
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.Placement.sudo(supervisor).create(
                {
                    "model_id": self.partner_model.id,
                    "view_id": self.env.ref("base.view_partner_form").id,
                    "mode": "item",
                }
            )

    def test_the_wizard_says_when_no_chat_feeds_the_tab(self):
        # Demo chats (if any) are set aside: only this test's chat counts.
        self.env["livechat.chat"].search([]).write(
            {"bind_model_ids": [(5,)], "register_model_ids": [(5,)]}
        )
        chat = self.env["livechat.chat"].create(
            {
                "name": "Feeds",
                "operator_group_ids": [
                    (
                        6,
                        0,
                        self.env.ref("livechat_sessions.group_livechat_operator").ids,
                    )
                ],
                "supervisor_group_ids": [
                    (
                        6,
                        0,
                        self.env.ref("livechat_sessions.group_livechat_supervisor").ids,
                    )
                ],
            }
        )
        view = self.env.ref("base.view_partner_simple_form")
        placement = self.Placement.new(
            {"model_id": self.partner_model.id, "view_id": view.id, "mode": "item"}
        )
        self.assertIn("Apps to Register Messages", placement.feed_hint)
        chat.register_model_ids = self.partner_model
        placement = self.Placement.new(
            {"model_id": self.partner_model.id, "view_id": view.id, "mode": "item"}
        )
        self.assertFalse(placement.feed_hint)
        placement = self.Placement.new(
            {
                "model_id": self.partner_model.id,
                "view_id": view.id,
                "mode": "account",
                "account_field_id": self.accounts_field.id,
            }
        )
        self.assertIn("Apps to Bind Accounts", placement.feed_hint)
        chat.bind_model_ids = self.partner_model
        placement = self.Placement.new(
            {
                "model_id": self.partner_model.id,
                "view_id": view.id,
                "mode": "account",
                "account_field_id": self.accounts_field.id,
            }
        )
        self.assertFalse(placement.feed_hint)
