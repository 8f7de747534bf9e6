from . import livechat_session_new
