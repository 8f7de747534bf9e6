from . import livechat_test_gateway
