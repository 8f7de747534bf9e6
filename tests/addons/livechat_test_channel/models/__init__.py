from . import livechat_chat
from . import livechat_channel_fields
from . import livechat_connector_pager
