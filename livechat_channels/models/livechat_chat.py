# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    telegram_connector_ids = fields.One2many(
        "livechat.connector.telegram", "chat_id", string="Telegram Bot"
    )
    whatsapp_connector_ids = fields.One2many(
        "livechat.connector.whatsapp", "chat_id", string="WhatsApp Number"
    )
