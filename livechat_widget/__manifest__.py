# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: Messages Widget",
    "summary": "Read and answer a record's live chat conversations on its form",
    "version": "11.0.1.2.0",
    "category": "Discuss",
    "website": "https://github.com/livechats-odoo/livechats",
    "author": "Live Chats for Odoo",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["livechat_sessions"],
    "data": [
        "security/ir.model.access.csv",
        "views/assets.xml",
        "views/livechat_widget_placement_views.xml",
    ],
    "demo": [
        "demo/livechat_widget_demo.xml",
    ],
    "qweb": [
        "static/src/xml/livechat_widget.xml",
    ],
}
