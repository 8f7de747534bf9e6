# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Live Chats: Sessions",
    "summary": "Omnichannel live chat sessions, routing and operators inside Odoo",
    "version": "11.0.1.9.0",
    "category": "Discuss",
    "website": "https://github.com/livechats-odoo/livechats",
    "author": "Live Chats for Odoo",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": True,
    "installable": True,
    "depends": ["base", "bus", "mail", "web"],
    # Odoo's own long-polling process runs on gevent (engine/longpolling.py).
    "external_dependencies": {"python": ["gevent"]},
    "data": [
        "security/livechat_sessions_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/assets.xml",
        "views/livechat_account_views.xml",
        "views/livechat_message_views.xml",
        "views/livechat_session_views.xml",
        "views/livechat_routing_rule_views.xml",
        "views/livechat_chat_views.xml",
        "views/livechat_blocklist_rule_views.xml",
        "views/livechat_response_template_views.xml",
        "views/livechat_session_new_views.xml",
        "views/livechat_chat_first_views.xml",
        "views/res_partner_views.xml",
        "views/res_users_views.xml",
        "views/livechat_sessions_menus.xml",
        "views/livechat_privacy_log_views.xml",
        "report/livechat_report_views.xml",
    ],
    "qweb": [
        "static/src/xml/conversation.xml",
        "static/src/xml/workspace.xml",
    ],
    "demo": [
        "demo/livechat_demo.xml",
    ],
}
