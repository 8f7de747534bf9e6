# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .livechat_widget import MODES


class LivechatWidgetPlacement(models.Model):
    """Places the Live Chat Messages widget on a form without code: a "Live
    Chat" tab added by an inherited view, which this record owns (removing
    the placement removes the view)."""

    _name = "livechat.widget.placement"
    _description = "Live Chat Widget Placement"
    _order = "model_id, id"

    name = fields.Char(compute="_compute_name")
    model_id = fields.Many2one(
        "ir.model",
        required=True,
        ondelete="cascade",
        # Only models whose forms can take the widget are offered.
        domain=lambda self: [
            ("model", "in", self.env["livechat.widget"]._qualifying_models())
        ],
    )
    model = fields.Char(related="model_id.model", readonly=True)
    view_id = fields.Many2one(
        "ir.ui.view",
        string="Form View",
        required=True,
        ondelete="cascade",
        domain="[('model', '=', model), ('type', '=', 'form'), "
        "('mode', '=', 'primary')]",
        help="The form that gets the Live Chat tab.",
    )
    mode = fields.Selection(
        MODES,
        string="Show History",
        required=True,
        default="account",
        help="By account: the sessions of the record's accounts, in any live "
        "chat. By app item: the sessions bound to the record (or to the record "
        "the chosen field points to).",
    )
    link_field_id = fields.Many2one(
        "ir.model.fields",
        string="Through Field",
        ondelete="cascade",
        domain="[('model_id', '=', model_id), ('ttype', '=', 'many2one')]",
        help="By account: empty for the record's own Account-type field, or the "
        "Many2one field leading to the record whose accounts are shown. By app "
        "item: empty for the current item, or the Many2one field pointing to "
        "the item whose bound sessions are shown.",
    )
    account_field_id = fields.Many2one(
        "ir.model.fields",
        ondelete="cascade",
        domain="[('relation', '=', 'livechat.account')]",
        help="By account: the Account-type field whose accounts are shown.",
    )
    path = fields.Char(compute="_compute_path")
    tab_label = fields.Char(default="Live Chat", required=True, translate=True)
    inherit_view_id = fields.Many2one(
        "ir.ui.view", string="Added View", readonly=True, copy=False
    )
    state = fields.Selection(
        [("draft", "Not placed"), ("placed", "Placed")], compute="_compute_state"
    )
    feed_hint = fields.Char(
        compute="_compute_feed_hint",
        help="Why the tab would stay empty: no live chat feeds this mode on "
        "this model.",
    )

    _sql_constraints = [
        (
            "view_uniq",
            "unique(view_id)",
            "The widget already has a placement on this form view: change that one.",
        ),
    ]

    @api.depends("model_id", "view_id", "mode")
    def _compute_name(self):
        labels = dict(MODES)
        for placement in self:
            if not placement.model_id:
                placement.name = _("New placement")
                continue
            placement.name = "%s: %s (%s)" % (
                placement.model_id.name or "",
                placement.view_id.name or "",
                labels.get(placement.mode, ""),
            )

    @api.depends("mode", "link_field_id", "account_field_id")
    def _compute_path(self):
        for placement in self:
            parts = [placement.link_field_id.name]
            if placement.mode == "account":
                parts.append(placement.account_field_id.name)
            placement.path = ".".join(p for p in parts if p)

    @api.depends("model_id", "mode", "link_field_id")
    def _compute_feed_hint(self):
        """By app item, the sessions come from an operator's +Bind on a model
        a live chat registers messages on; by account, from +Bind on a
        model a live chat binds accounts to. Without such a chat the tab
        stays empty (by account, it still shows accounts set by hand): say
        so while the administrator chooses."""
        Chat = self.env["livechat.chat"].sudo().with_context(active_test=False)
        feeds = {"item": "register_model_ids", "account": "bind_model_ids"}
        for placement in self:
            target = (
                placement.link_field_id.relation
                if placement.link_field_id
                else placement.model_id.model
            )
            model = self.env["ir.model"].sudo()._get(target) if target else None
            setting = feeds.get(placement.mode)
            hint = False
            if (
                model
                and setting
                and not Chat.search_count([(setting, "in", model.ids)])
            ):
                hint = self._feed_hint(placement.mode, model.name)
            placement.feed_hint = hint

    def _feed_hint(self, mode, model_name):
        """What the wizard says when no live chat feeds ``mode`` on the
        model named ``model_name``."""
        if mode == "item":
            return _(
                "No live chat registers messages on %s: an operator's +Bind "
                "cannot bind a session to one, so this tab stays empty. Add %s "
                "to a live chat's Apps to Register Messages (Live Chats > "
                "Configuration > Live Chats, Apps tab)."
            ) % (model_name, model_name)
        return _(
            "No live chat binds accounts to %s: an operator's +Bind cannot put a "
            "customer's account on one, so this tab shows only the accounts set "
            "on the record by hand. Add %s to a live chat's Apps to Bind Accounts "
            "(Live Chats > Configuration > Live Chats, Apps tab)."
        ) % (model_name, model_name)

    @api.depends("inherit_view_id")
    def _compute_state(self):
        for placement in self:
            placement.state = "placed" if placement.inherit_view_id else "draft"

    @api.onchange("model_id")
    def _onchange_model_id(self):
        self.view_id = self.env["ir.ui.view"].search(
            [
                ("model", "=", self.model_id.model),
                ("type", "=", "form"),
                ("mode", "=", "primary"),
            ],
            order="priority, id",
            limit=1,
        )
        self.link_field_id = False
        self._suggest_account_field()
        return {"domain": self._picker_domains()}

    @api.onchange("mode", "link_field_id")
    def _onchange_mode(self):
        self._suggest_account_field()
        return {"domain": self._picker_domains()}

    def _target_model(self):
        """The model whose accounts are shown: the form's, or the one the
        Through Field points to."""
        return (
            self.link_field_id.relation if self.link_field_id else self.model_id.model
        )

    def _picker_domains(self):
        """The pickers offer only what fits what was chosen before: Many2one
        fields of the model that lead to accounts, then the Account-type
        fields of the model they lead to."""
        Widget = self.env["livechat.widget"]
        model = self.model_id.model
        links = Widget._account_links(model) if model in self.env else []
        return {
            "link_field_id": [
                ("model_id", "=", self.model_id.id),
                ("name", "in", links),
            ],
            "account_field_id": [
                ("model", "=", self._target_model() or False),
                ("relation", "=", "livechat.account"),
            ],
        }

    def _suggest_account_field(self):
        """Suggest the Account-type field when there is only one."""
        if self.mode != "account" or not self.model_id:
            self.account_field_id = False
            return
        target = self._target_model()
        names = self.env["livechat.widget"]._account_fields(target)
        if len(names) == 1:
            self.account_field_id = self.env["ir.model.fields"].search(
                [("model", "=", target), ("name", "=", names[0])], limit=1
            )

    @api.constrains("model_id", "view_id", "mode", "link_field_id", "account_field_id")
    def _check_requirement(self):
        for placement in self:
            if placement.view_id.model != placement.model_id.model:
                raise ValidationError(
                    _("The form view %s is not a view of %s.")
                    % (placement.view_id.name, placement.model_id.name)
                )
            self.env["livechat.widget"]._check_config(
                placement.model_id.model, placement.mode, placement.path
            )

    # Placing ------------------------------------------------------------------

    def _widget_arch(self):
        """The inherited view adding the tab: inside the form's notebook, or a
        new notebook at the end of its sheet (or of the form)."""
        self.ensure_one()
        form = etree.fromstring(
            self.env[self.model].fields_view_get(
                view_id=self.view_id.id, view_type="form"
            )["arch"]
        )
        field = etree.Element(
            "field",
            {
                "name": self._widget_field(form),
                "widget": "livechat_messages",
                "nolabel": "1",
                "options": repr({"mode": self.mode, "path": self.path or ""}),
            },
        )
        page = etree.Element(
            "page", {"string": self.tab_label, "name": "livechat_widget_%d" % self.id}
        )
        page.append(field)
        if form.xpath("//notebook"):
            target, content = "//notebook", page
        else:
            target = "//sheet" if form.xpath("//sheet") else "/form"
            content = etree.Element("notebook")
            content.append(page)
        xpath = etree.Element("xpath", {"expr": target, "position": "inside"})
        xpath.append(content)
        return etree.tostring(xpath, encoding="unicode")

    def _widget_field(self, form):
        """The field the widget sits on: its value is not used, but the web
        client of Odoo 11 gives all the nodes of one field the widget of the
        last one, so it must be a field the form does not show already."""
        shown = set(form.xpath("//field/@name"))
        for name in (
            "id",
            "display_name",
            "__last_update",
            "write_date",
            "create_date",
        ):
            if name not in shown and name in self.env[self.model]._fields:
                return name
        raise ValidationError(
            _(
                "The form %s already shows every field the widget could sit on "
                "(id, display_name, __last_update, write_date, create_date): place "
                "it in XML instead."
            )
            % self.view_id.name
        )

    @api.multi
    def action_place(self):
        for placement in self:
            placement._check_requirement()
            if placement.inherit_view_id:
                continue
            # Odoo validates the arch here: a form it cannot extend fails now,
            # with Odoo's own message, and nothing is left behind.
            placement.inherit_view_id = self.env["ir.ui.view"].create(
                {
                    "name": "%s: Live Chat tab" % placement.view_id.name,
                    "model": placement.model,
                    "inherit_id": placement.view_id.id,
                    "mode": "extension",
                    "priority": 99,
                    "arch": placement._widget_arch(),
                }
            )
        return True

    @api.multi
    def action_remove(self):
        views = self.mapped("inherit_view_id")
        self.write({"inherit_view_id": False})
        views.unlink()
        return True

    @api.multi
    def write(self, vals):
        result = super(LivechatWidgetPlacement, self).write(vals)
        # A placed widget follows its settings: placed again, from the form
        # as it is without the old tab.
        if set(vals) & {
            "mode",
            "link_field_id",
            "account_field_id",
            "tab_label",
            "view_id",
        }:
            placed = self.filtered("inherit_view_id")
            placed.action_remove()
            placed.action_place()
        return result

    @api.multi
    def unlink(self):
        self.action_remove()
        return super(LivechatWidgetPlacement, self).unlink()

    # Demo ---------------------------------------------------------------------

    @api.model
    def _demo_place_on_leads(self):
        """Demo data for CRM, when it is installed: the lead forms show the
        sessions bound to the lead (By app item).

        Leads are an app to register messages of the demo chats: +Bind of a
        lead in the workspace binds the session to it, and the lead's Live
        Chat tab (By app item) shows it. The demo also gives leads an
        Account-type field, the way an administrator would without code (a
        custom field, Settings > Technical > Fields), filled with the
        contact's accounts; binds two leads to the demo customers' sessions
        and places the widget on both lead forms.
        """
        if "crm.lead" not in self.env:
            return False
        ref = self.env.ref
        lead_model = self.env["ir.model"]._get("crm.lead")
        if "x_livechat_account_ids" not in self.env["crm.lead"]._fields:
            self.env["ir.model.fields"].create(
                {
                    "model_id": lead_model.id,
                    "name": "x_livechat_account_ids",
                    "field_description": "Live Chat Accounts",
                    "ttype": "many2many",
                    "relation": "livechat.account",
                    "relation_table": "x_crm_lead_livechat_account_rel",
                    "column1": "lead_id",
                    "column2": "account_id",
                    "state": "manual",
                }
            )
        chats = ref("livechat_sessions.demo_chat_support") | ref(
            "livechat_sessions.demo_chat_sales"
        )
        chats.write({"register_model_ids": [(4, lead_model.id)]})
        Lead = self.env["crm.lead"]
        # The demo customers' sessions come with livechat_channels' demo
        # data (their channels), installed before this addon's by name.
        leads = {
            "Anna Petrova: invoices portal": "demo_partner_anna",
            "Brian O'Neil: 40 licences": "demo_partner_brian",
        }
        Session = self.env["livechat.session"]
        for name, partner in sorted(leads.items()):
            partner = ref("livechat_sessions." + partner)
            lead = Lead.create(
                {
                    "name": name,
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "contact_name": partner.name,
                    "email_from": partner.email,
                    "x_livechat_account_ids": [
                        (6, 0, partner.livechat_account_ids.ids)
                    ],
                }
            )
            for session in Session.search([("account_id.partner_id", "=", partner.id)]):
                self.env["livechat.session.binding"].create(
                    {
                        "session_id": session.id,
                        "res_model": "crm.lead",
                        "res_id": lead.id,
                    }
                )
        # The demo's Live Chats users work in sales too: they read all leads.
        salesman = ref("sales_team.group_sale_salesman_all_leads")
        for login in ("supervisor", "operator", "operator2", "reader"):
            ref("livechat_sessions.demo_user_" + login).write(
                {"groups_id": [(4, salesman.id)]}
            )
        for xmlid in ("crm.crm_case_form_view_oppor", "crm.crm_case_form_view_leads"):
            self.create(
                {
                    "model_id": lead_model.id,
                    "view_id": ref(xmlid).id,
                    "mode": "item",
                }
            ).action_place()
        return True
