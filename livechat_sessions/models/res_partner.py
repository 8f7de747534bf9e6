# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The Account-type field of the Contacts app: a chat configured with
    # Contacts can bind customers' accounts to a contact through it.
    livechat_account_ids = fields.One2many(
        "livechat.account", "partner_id", string="Accounts"
    )

    # A contact's live chat data on request (livechat_account_privacy): all
    # their accounts at once, the archived ones included.

    @api.multi
    def action_livechat_export_data(self):
        return self._livechat_accounts().action_export_data()

    @api.multi
    def action_livechat_erase(self):
        return self._livechat_accounts().action_erase_customer()

    def _livechat_accounts(self):
        self.env["livechat.account"]._check_privacy_rights()
        accounts = (
            self.env["livechat.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        if not accounts:
            raise UserError(_("This contact has no live chat account."))
        return accounts.sudo(self.env.uid)
