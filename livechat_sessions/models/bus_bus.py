# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import json
import logging
import os
import random
import threading

import psycopg2

from odoo import api, fields, models
from odoo.addons.bus.models.bus import TIMEOUT
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

    def notify(self, payloads):
        """``NOTIFY imbus`` with each of ``payloads``, in one statement: one
        round trip, and PostgreSQL delivers them together at its commit, so
        Odoo's dispatcher wakes a large team's polls at once (they then
        share one read)."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    if (
                        self._connection is None
                        or self._connection.closed
                        or self._pid != os.getpid()
                    ):
                        self._connection = self._connect()
                        self._pid = os.getpid()
                    with self._connection.cursor() as cr:
                        cr.execute(
                            "; ".join(["NOTIFY imbus, %s"] * len(payloads)),
                            list(payloads),
                        )
                    return
                except psycopg2.Error:
                    self._connection = None
                    if attempt == 2:
                        # Listeners still wake at their poll timeout; the
                        # notifications themselves are committed.
                        _logger.exception("Could not notify the bus")


_notifier = _Notifier()

#: PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more ("payload
#: string too long"): a wake-up listing every channel of a large team is
#: sent in parts below this size.
NOTIFY_LIMIT = 7900


def wake_payloads(channels, limit=NOTIFY_LIMIT):
    """The payloads of ``NOTIFY imbus`` waking ``channels`` (each already a
    JSON text, as bus rows store them): JSON lists of at most ``limit``
    bytes, in order. Odoo's dispatcher reads each as the channels to wake,
    so several parts wake the same polls as one would."""
    payloads, part, size = [], [], 2  # the brackets
    for channel in channels:
        length = len(channel.encode("utf-8")) + (1 if part else 0)
        if part and size + length > limit:
            payloads.append("[%s]" % ",".join(part))
            part, size, length = [], 2, len(channel.encode("utf-8"))
        part.append(channel)
        size += length
    if part:
        payloads.append("[%s]" % ",".join(part))
    return payloads


def delete_old_notifications(cr):
    """Delete the notifications older than any long poll can ask for (the
    age ``bus.bus.gc`` uses)."""
    timeout_ago = datetime.datetime.utcnow() - datetime.timedelta(seconds=TIMEOUT * 2)
    cr.execute(
        "DELETE FROM bus_bus WHERE create_date < %s",
        (timeout_ago,),
        log_exceptions=False,
    )


class BusBus(models.Model):
    _inherit = "bus.bus"

    # Indexed: a long poll's first read (``last`` 0: every visitor's and
    # every operator's first poll, and its read once woken) looks its
    # channels up among the last minutes' notifications, which Odoo 11 reads
    # all (about 7 ms per poll at 30,000 rows; bench/longpoll.py).
    channel = fields.Char(index=True)

    @api.model
    def _livechat_notify(
        self,
        payload,
        partner_ids=(),
        chat_id=None,
        operators=False,
        group_id=None,
        user_id=None,
        queued_of=None,
    ):
        """Send ``payload`` to Live Chats staff, in one statement.

        The audience: the partners ``partner_ids``; and, for ``chat_id``, the
        chat's supervisors, plus its operators (``operators``), the members
        of ``group_id`` and the user ``user_id``. It is picked in SQL from
        the group tables by the same statement that writes the rows, since
        this runs on every customer message.

        Notifications go only on the ``(db, 'res.partner', id)`` channels,
        which Odoo's long-polling route grants to the logged-in user alone
        (docs/ARCHITECTURE.md). Payloads carry a ``type`` starting with
        ``livechat.`` and no ``state``/``channel_type`` key, so mail's own
        handler of the partner channel ignores them. Channel strings are
        built exactly as ``bus.bus`` writes them (``json.dumps`` without
        spaces), since the long-polling route matches them as text.

        ``queued_of``: a chat id; the payload's ``queued`` is then its count
        of queued sessions, counted by the statement itself (the queue
        counters of every event that may move them).
        """
        query, params = self._livechat_notify_query(
            payload,
            partner_ids=partner_ids,
            chat_id=chat_id,
            operators=operators,
            group_id=group_id,
            user_id=user_id,
            queued_of=queued_of,
        )
        self.env.cr.execute(query + " RETURNING channel", params)
        self._livechat_wake([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _livechat_notify_query(
        self,
        payload,
        partner_ids=(),
        chat_id=None,
        operators=False,
        group_id=None,
        user_id=None,
        message_id_from=None,
        queued_of=None,
    ):
        """The INSERT of :meth:`_livechat_notify` and its parameters, for a
        caller that runs it inside a statement of its own (the way in).

        ``message_id_from``: a SQL expression giving the id of the message
        the payload carries (``payload['message']['id']``), written into the
        payload by PostgreSQL: the way in stores a message and notifies of
        it in one statement.
        """
        message = "%(message)s"
        if message_id_from:
            message = "jsonb_set(%s::jsonb, '{message,id}', to_jsonb(%s))::text" % (
                message,
                message_id_from,
            )
        if queued_of:
            # livechat_session_queue_index answers this count.
            message = (
                "jsonb_set(%s::jsonb, '{queued}', to_jsonb(("
                "SELECT count(*) FROM livechat_session "
                "WHERE chat_id = %%(queued_of)s AND state = 'queued' "
                "AND NOT is_spam)))::text" % message
            )
        # No create_uid / write_uid: nothing reads who wrote a notification
        # (long polls read channel, message and id; the gc reads the date),
        # and each would cost a foreign key check per row on every message.
        query = """INSERT INTO bus_bus (channel, message, create_date, write_date)
               SELECT %(prefix)s || ',' || staff.partner_id || ']', {message},
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
               FROM (SELECT u.partner_id FROM res_users u
                     -- = ANY(ARRAY(...)): the groups, then their members, are
                     -- each picked once and looked up on their index; an IN
                     -- or an OR here made PostgreSQL read every user and
                     -- every group membership of the database.
                     WHERE u.active AND u.partner_id IS NOT NULL
                       AND u.id = ANY(ARRAY(
                           SELECT %(user)s
                           UNION ALL
                           SELECT r.uid FROM res_groups_users_rel r
                           WHERE r.gid = ANY(ARRAY(
                               SELECT %(group)s
                               UNION ALL
                               SELECT group_id FROM livechat_chat_supervisor_group_rel
                               WHERE chat_id = %(chat)s
                               UNION ALL
                               SELECT group_id FROM livechat_chat_operator_group_rel
                               WHERE chat_id = %(chat)s AND %(operators)s))))
                     UNION
                     SELECT unnest(%(partners)s::int[])) AS staff""".format(
            message=message
        )
        params = {
            "prefix": _dump([self.env.cr.dbname, "res.partner"])[:-1],
            "message": _dump(payload),
            "user": user_id or 0,
            "group": group_id or 0,
            "chat": chat_id or 0,
            "operators": bool(operators),
            "partners": [pid for pid in partner_ids if pid],
            "queued_of": queued_of or 0,
        }
        return query, params

    @api.model
    def _livechat_wake(self, channels):
        """After the commit, wake the long polls of ``channels`` (the rows
        just written); now and then, collect old notifications too."""
        if not channels:
            return
        payloads = wake_payloads(channels)

        def wake():
            _notifier.notify(payloads)

        self.env.cr.after("commit", wake)
        # Same housekeeping as sendmany: now and then, drop old notifications.
        if random.random() < 0.01:
            self.env.cr.after("commit", self._livechat_gc_after_commit)

    def _livechat_gc_after_commit(self):
        """Delete the notifications no long poll can still ask for, in a
        transaction of its own, after the operators have been woken.

        Not ``gc()`` in the caller's transaction, as sendmany does: that one
        searches and unlinks through the ORM before the commit, so every
        hundredth customer message waited for it, and two workers collecting
        at once made one of them fail on a serialization error. Here a
        worker that meets another one's collection simply leaves it to them.
        """
        try:
            with self.pool.cursor() as cr:
                delete_old_notifications(cr)
        except psycopg2.extensions.TransactionRollbackError:
            _logger.debug("Bus notifications collected by another worker")
