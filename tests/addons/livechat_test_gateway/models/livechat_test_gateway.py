# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's message over RPC, for the browser tests.

The way in (``livechat.chat._receive_message``) is private: no client may
post as a customer. The browser tests play customers of many channels from
outside Odoo, so this addon, which lives under ``tests/`` and is installed
only in the browser tests' database, gives Odoo's administrators (and no
one else) an RPC door to it. Never install it in a real database.
"""
from odoo import _, api, models
from odoo.exceptions import AccessError


class LivechatTestGateway(models.AbstractModel):
    _name = "livechat.test.gateway"
    _description = "Live Chats Test Gateway"

    @api.model
    def receive(self, chat_id, channel, account, body, **kwargs):
        """``livechat.chat._receive_message`` for an administrator; returns
        the stored message's id."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(_("The test gateway is for administrators."))
        chat = self.env["livechat.chat"].browse(int(chat_id))
        return chat._receive_message(channel, account, body, **kwargs).id
