from . import webhooks
from . import fast_path
from . import website
from . import oauth
from . import runjob
from . import rating
