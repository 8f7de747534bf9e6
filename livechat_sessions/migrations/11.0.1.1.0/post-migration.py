# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: stored bodies keep only the strict allowlist, and the
conversation's files are typed by their content (engine/text.py,
engine/files.py). Messages stored before kept what Odoo's default sanitizer
allows (class, style, data-* attributes) and files the type their sender
declared."""
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["livechat.message"]._resanitize_stored()
