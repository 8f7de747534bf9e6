from . import livechat_report_operator
from . import livechat_report_chat
