# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.5.0: Telegram sends a bot's rating buttons as callback queries,
which a webhook receives only when registered for them: the connected bots
are registered again, through a job that retries while Telegram cannot be
reached."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    bots = env["livechat.connector.telegram"].search([("state", "=", "connected")])
    for bot in bots:
        bot.with_delay(max_retries=20)._register_webhook_job()
