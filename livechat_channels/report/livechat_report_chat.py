# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from ..models.livechat_chat import CHANNELS


class LivechatReportChat(models.Model):
    _inherit = "livechat.report.chat"

    channel = fields.Selection(selection_add=CHANNELS)
