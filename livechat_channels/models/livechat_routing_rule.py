# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .livechat_chat import CHANNELS


class LivechatRoutingRule(models.Model):
    _inherit = "livechat.routing.rule"

    channel = fields.Selection(selection_add=CHANNELS)
