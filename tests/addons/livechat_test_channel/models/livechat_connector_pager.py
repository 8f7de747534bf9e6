# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo import models

from odoo.addons.livechat_channels.engine import delivery


class LivechatConnectorPager(models.Model):
    """A pager service: replies are POSTed as JSON to its API address."""

    _name = "livechat.connector.pager"
    _inherit = "livechat.connector"
    _description = "Live Chat Test Pager"
    _channel = "pager"

    def _webhook_path(self):
        return ""

    def _provider_test(self):
        return self.api_url

    def _provider_connect(self):
        return None

    def _provider_disconnect(self):
        return None

    def _provider_deliver(self, message, account, text):
        response = delivery.call(
            "POST",
            self.api_url.rstrip("/") + "/page",
            data=json.dumps({"to": account.external_id, "text": text}),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            raise delivery.Rejected("HTTP %d from the pager" % response.status_code)
        return response.json()["id"]
