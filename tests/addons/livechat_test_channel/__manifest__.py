# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: a test channel",
    "summary": "For the tests only: a sixth channel, plugged in from outside",
    "version": "11.0.1.0.0",
    "license": "LGPL-3",
    "author": "Live Chats for Odoo",
    "website": "https://github.com/livechats-odoo/livechats",
    "category": "Hidden",
    "depends": ["livechat_channels"],
    "data": ["security/ir.model.access.csv"],
    "installable": True,
}
