from . import livechat_chat
from . import livechat_channel_fields
