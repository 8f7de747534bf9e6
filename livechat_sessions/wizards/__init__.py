from . import livechat_session_new
from . import livechat_chat_first
