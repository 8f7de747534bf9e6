"""Helpers that work on Odoo's ORM and transactions (``engine`` holds the
plain-Python pieces, free of them).

- :mod:`.cache`: keeping what a transaction just wrote in the ORM's cache.
- :mod:`.transaction`: running work in its own transaction, retried on
  concurrency errors.
"""

from . import cache
from . import transaction
