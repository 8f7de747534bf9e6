from . import test_engine
from . import test_receive
from . import test_session_actions
from . import test_access
from . import test_concurrency
from . import test_blocklist
from . import test_response_template
from . import test_processes
