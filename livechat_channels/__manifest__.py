# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: Channels",
    "summary": "Website chat, email inbox, Telegram and WhatsApp for Live Chats",
    "version": "11.0.1.7.0",
    "category": "Discuss",
    "website": "https://github.com/livechats-odoo/livechats",
    "author": "Live Chats for Odoo",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["livechat_sessions", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "demo": ["demo/livechat_channels_demo.xml"],
    "qweb": ["static/src/xml/internal.xml", "static/src/xml/send_later.xml"],
    "data": [
        "security/ir.model.access.csv",
        "security/livechat_channels_security.xml",
        "data/queue_job_channel_data.xml",
        "data/ir_cron_data.xml",
        "views/assets.xml",
        "views/livechat_connector_views.xml",
        "views/livechat_chat_views.xml",
        "views/livechat_session_new_views.xml",
    ],
}
