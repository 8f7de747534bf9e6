# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: channels for the core's tests",
    "summary": "For the tests only: two channels of customers for livechat_sessions",
    "version": "11.0.1.0.0",
    "license": "LGPL-3",
    "author": "Live Chats for Odoo",
    "website": "https://github.com/livechats-odoo/livechats",
    "category": "Hidden",
    "depends": ["livechat_sessions"],
    "installable": True,
}
