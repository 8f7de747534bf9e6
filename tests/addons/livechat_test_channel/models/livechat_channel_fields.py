# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .livechat_chat import CHANNELS


class LivechatAccount(models.Model):
    _inherit = "livechat.account"

    channel = fields.Selection(selection_add=CHANNELS)


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    channel = fields.Selection(selection_add=CHANNELS)


class LivechatMessage(models.Model):
    _inherit = "livechat.message"

    channel = fields.Selection(selection_add=CHANNELS)


class LivechatBlocklistRule(models.Model):
    _inherit = "livechat.blocklist.rule"

    channel = fields.Selection(selection_add=CHANNELS)


class LivechatRoutingRule(models.Model):
    _inherit = "livechat.routing.rule"

    channel = fields.Selection(selection_add=CHANNELS)


class LivechatReportChat(models.Model):
    _inherit = "livechat.report.chat"

    channel = fields.Selection(selection_add=CHANNELS)
