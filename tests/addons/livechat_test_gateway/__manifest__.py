# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: test gateway",
    "summary": "For the browser tests only: customers' messages over RPC",
    "version": "11.0.1.0.0",
    "license": "LGPL-3",
    "author": "Live Chats for Odoo",
    "website": "https://github.com/livechats-odoo/livechats",
    "category": "Hidden",
    "depends": ["livechat_channels"],
    "installable": True,
}
