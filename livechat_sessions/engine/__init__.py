"""Plain-Python pieces of Live Chats, free of the ORM so they are easy to test
(ORM helpers are in ``tools``).

- :mod:`.naming`: the session naming template (``{customer}``, ``{DateTime(...)}``).
- :mod:`.text`: turning what a customer or an operator wrote into the HTML we
  store (the strict allowlist).
- :mod:`.files`: what a file is, read from its content.
- :mod:`.longpolling`: Odoo's long-polling process mended to hold thousands
  of waiting clients (installed when the addon is loaded).
"""

from . import files
from . import longpolling
from . import naming
from . import text
