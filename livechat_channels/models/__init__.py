from . import livechat_connector
from . import livechat_connector_telegram
from . import livechat_connector_whatsapp
from . import livechat_account
from . import livechat_chat
from . import livechat_message
from . import livechat_visitor_rate
from . import livechat_website
