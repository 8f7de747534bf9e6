# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import logging
import os
import random
import threading

import psycopg2

from odoo import api, models
from odoo.sql_db import connection_info_for

_logger = logging.getLogger(__name__)


def _dump(value):
    return json.dumps(value, separators=(",", ":"))


class _Notifier(object):
    """Sends ``NOTIFY imbus`` on one kept connection per process.

    Odoo's bus listens on the ``postgres`` database, and Odoo's connection
    pool never keeps connections to it: ``bus.bus.sendmany`` opens a new
    PostgreSQL connection after every commit that notifies (about 4 ms here,
    a third of a customer message's cost). This keeps one autocommit
    connection per process instead (a new one after a fork, since prefork
    workers must not share a socket), serialized by a lock between threads.
    It holds no state: a lost connection is simply opened again.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._pid = None

    def _connect(self):
        _dsn_name, info = connection_info_for("postgres")
        connection = psycopg2.connect(**info)
        connection.autocommit = True
        return connection

    def notify(self, payload):
        with self._lock:
            for attempt in (1, 2):
                try:
                    if (self._connection is None or self._connection.closed
                            or self._pid != os.getpid()):
                        self._connection = self._connect()
                        self._pid = os.getpid()
                    with self._connection.cursor() as cr:
                        cr.execute("NOTIFY imbus, %s", (payload,))
                    return
                except psycopg2.Error:
                    self._connection = None
                    if attempt == 2:
                        # Listeners still wake at their poll timeout; the
                        # notifications themselves are committed.
                        _logger.exception("Could not notify the bus")


_notifier = _Notifier()


class BusBus(models.Model):
    _inherit = "bus.bus"

    @api.model
    def _livechat_notify(self, partner_ids, payload):
        """Send ``payload`` to the staff partners ``partner_ids``.

        Notifications go only on the ``(db, 'res.partner', id)`` channels,
        which Odoo's long-polling route grants to the logged-in user alone
        (design.md). Payloads carry a ``type`` starting with ``livechat.`` and
        no ``state``/``channel_type`` key, so mail's own handler of the
        partner channel ignores them.

        ``bus.bus.sendmany`` inserts one row per recipient through the ORM;
        with a chat's whole team to wake on every customer message we write
        them in one INSERT ... SELECT unnest() instead (same table, same
        columns, same NOTIFY after commit), which keeps the way in at a fixed
        number of queries whatever the team's size.
        """
        partner_ids = sorted(set(pid for pid in partner_ids if pid))
        if not partner_ids:
            return
        dbname = self.env.cr.dbname
        message = _dump(payload)
        channels = [_dump([dbname, "res.partner", pid]) for pid in partner_ids]
        self.env.cr.execute(
            """INSERT INTO bus_bus (channel, message, create_date, create_uid,
                                    write_date, write_uid)
               SELECT channel, %s, now() AT TIME ZONE 'UTC', %s,
                      now() AT TIME ZONE 'UTC', %s
               FROM unnest(%s::varchar[]) AS channel""",
            (message, self.env.uid, self.env.uid, channels),
        )
        # Same housekeeping as sendmany: now and then, drop old notifications.
        if random.random() < 0.01:
            self.gc()
        woken = _dump([[dbname, "res.partner", pid] for pid in partner_ids])
        self.env.cr.after("commit", lambda: _notifier.notify(woken))
