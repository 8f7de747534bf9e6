from . import webhooks
from . import website
