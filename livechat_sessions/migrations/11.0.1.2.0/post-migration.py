# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.2.0: supervisors change their chats' settings. The members' rule
on live chats, a noupdate record, is made a reading rule: a user's rules
add up, and an operator must not change a chat through it."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.ref("livechat_sessions.livechat_chat_rule_reader").write(
        {"perm_write": False, "perm_create": False, "perm_unlink": False}
    )
