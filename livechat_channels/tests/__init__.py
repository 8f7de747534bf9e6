from . import test_engine
from . import test_telegram
from . import test_whatsapp
from . import test_website
from . import test_email
from . import test_internal
from . import test_security
from . import test_fast_path
