# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two channels of customers for livechat_sessions' own tests, which need
customers who write from outside Odoo while the core owns only the
employees' channel: "messenger" (a chat app) and "mailbox" (addresses as
account ids). Neither has a connector: a reply to them stays pending, as a
reply waits for its channel's delivery. Installed only by the tests
(scripts/test.sh), never by ``make run``."""
from odoo import api, models

CHANNELS = [("messenger", "Messenger"), ("mailbox", "Mailbox")]


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    @api.model
    def _livechat_channels(self):
        channels = super(LivechatChat, self)._livechat_channels()
        # Its customers are asked to rate (the question stays pending, as
        # any reply to it).
        channels["messenger"] = {"icon": "fa-comment", "rated": True}
        channels["mailbox"] = {"icon": "fa-envelope"}
        return channels
