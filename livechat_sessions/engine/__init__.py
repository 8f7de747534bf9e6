"""Plain-Python pieces of Live Chats, free of the ORM so they are easy to test.

- :mod:`.naming`: the session naming template (``{customer}``, ``{DateTime(...)}``).
- :mod:`.text`: turning what a customer wrote into the HTML we store.
- :mod:`.transaction`: running work in its own transaction, retried on
  concurrency errors.
"""
from . import naming
from . import text
from . import transaction
