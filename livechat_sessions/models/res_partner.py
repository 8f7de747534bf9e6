# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The Account-type field of the Contacts app: a chat configured with
    # Contacts can bind customers' accounts to a contact through it.
    livechat_account_ids = fields.One2many(
        "livechat.account", "partner_id", string="Accounts"
    )
