from . import engine
from . import tools
from . import controllers
from . import models
from . import report
from . import wizards

# Odoo's long polling holds every waiting client of the server: mended in
# the process that loads this addon (engine/longpolling.py says how).
engine.longpolling.install()
