# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A sixth channel, "Pager", plugged in the way any channel addon does,
with no change to livechat_sessions or livechat_channels: its key on the
``channel`` fields (livechat_channel_fields.py), its description for the
clients and the way out (here), and a connector that delivers replies
(livechat_connector_pager.py). It proves that the core names no channel."""
from odoo import api, models

CHANNELS = [("pager", "Pager")]


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    @api.model
    def _livechat_channels(self):
        channels = super(LivechatChat, self)._livechat_channels()
        channels["pager"] = {"icon": "fa-bell"}
        return channels
