from . import test_pager
