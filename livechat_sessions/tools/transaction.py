"""Running work in its own transaction, retried on concurrency errors.

Odoo runs transactions in REPEATABLE READ. When two of them touch the same
row (two webhooks from one customer, two operators taking one session),
PostgreSQL makes the later one fail with a serialization failure rather than
let it act on a stale snapshot. The answer is to run the whole unit of work
again in a fresh transaction, as Odoo's RPC layer and queue_job do. Channels
(webhooks, fetchers) and benchmarks call the way in through this helper.
"""

import logging
import random
import time

from psycopg2 import OperationalError

import odoo
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_ERRORS_TO_RETRY,
)

_logger = logging.getLogger(__name__)


def run_with_retry(
    registry,
    func,
    uid=odoo.SUPERUSER_ID,
    context=None,
    tries=MAX_TRIES_ON_CONCURRENCY_FAILURE,
):
    """Call ``func(env)`` in a new transaction and commit it.

    On a concurrency error the transaction is rolled back and ``func`` runs
    again (with a growing random wait), up to ``tries`` times. Any other error
    rolls back and propagates. Returns what ``func`` returned.
    """
    for attempt in range(1, tries + 1):
        with odoo.api.Environment.manage(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, uid, context or {})
            try:
                result = func(env)
                # This helper opened the cursor: committing it is its job.
                cr.commit()  # pylint: disable=invalid-commit
                return result
            except OperationalError as error:
                cr.rollback()
                if (
                    error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY
                    or attempt == tries
                ):
                    raise
                wait = random.uniform(0.0, 2**attempt * 0.05)
                _logger.info(
                    "Concurrent update (%s), retry %d/%d in %.3fs",
                    error.pgcode,
                    attempt,
                    tries,
                    wait,
                )
                time.sleep(wait)
    return None
