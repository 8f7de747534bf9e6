# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0:

- emails are deduplicated per inbox: the keys of stored emails get their
  inbox's id (one email connector per live chat), so that an email fetched
  again is still recognised;
- Telegram bots have a webhook secret of their own (init gave one to each):
  the connected ones are registered again with it, through a job that
  retries while Telegram cannot be reached.
"""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """UPDATE livechat_message m
           SET external_id = c.id || ':' || m.external_id
           FROM livechat_session s, livechat_connector_email c
           WHERE m.session_id = s.id AND c.chat_id = s.chat_id
             AND m.channel = 'email' AND m.direction = 'in'
             AND m.external_id IS NOT NULL
             AND m.external_id NOT LIKE 'imap:%%'
             AND m.external_id NOT LIKE c.id || ':%%'"""
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    bots = env["livechat.connector.telegram"].search([("state", "=", "connected")])
    for bot in bots:
        bot.with_delay(max_retries=20)._register_webhook_job()
