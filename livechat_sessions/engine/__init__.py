"""Plain-Python pieces of Live Chats, free of the ORM so they are easy to test.

- :mod:`.naming`: the session naming template (``{customer}``, ``{DateTime(...)}``).
- :mod:`.text`: turning what a customer wrote into the HTML we store.
"""
from . import naming
from . import text
