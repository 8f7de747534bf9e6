from . import test_widget
from . import test_placement
