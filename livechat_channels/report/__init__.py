from . import livechat_report_chat
