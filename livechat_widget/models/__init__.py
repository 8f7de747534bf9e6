from . import livechat_widget
from . import livechat_widget_placement
