"""Odoo's long-polling process, made to hold thousands of waiting clients.

Odoo serves every long poll (its bus's ``/longpolling/poll``, which the
operators' web client uses, and the website visitors'
``/longpolling/livechat/visitor``) from one gevent process: one greenlet per
waiting client, all sharing one pool of ``db_maxconn`` database connections
(64 by default). Four things of Odoo 11 fail at scale, and are mended here
when the addon is loaded:

- **The pool fails instead of waiting.** When hundreds of polls arrive or
  are woken at once (a burst of replies, one message to a team of 500,
  every client reconnecting after a restart), each greenlet borrows a
  connection at the same instant; the pool hands out ``db_maxconn`` of them
  and raises ``PoolError: The Connection Pool Is Full`` for the others (an
  HTTP 500, or an empty answer the client polls again for). In the gevent
  process, a greenlet's first cursor now waits for one of ``(db_maxconn -
  READERS - 2) // 2`` places (:class:`ConnectionGate`); cursors it opens while
  it holds one go through, so a greenlet never waits while holding a
  connection (no deadlock), and since the long-polling routes hold at most
  two at once (the request's cursor and a rate check's own transaction),
  the pool never runs out. Prefork workers and the threaded server serve
  one request per worker or thread and are left as they are.
- **Every woken poll reads on its own.** One message to a team of 500 wakes
  500 polls, and each opened a transaction and searched the bus through the
  ORM; behind a crowd of arriving polls, the last operator heard of the
  message seconds after the first. In the gevent process, the polls woken
  together now share one read (:class:`WokenReads`: one statement for the
  notifications of all their channels, one read of the presence of the
  partners they follow), made outside the gate's queue.
- **A message could wait for the poll's timeout.** Odoo read the bus, then
  started waiting: a message committed and notified between the two was
  seen only when the poll timed out (50 s). A poll now waits from before
  its first read.
- **Every poll that times out leaves its event behind.** The dispatcher
  keeps a list of waiting events per channel and empties it only when that
  channel is notified: a visitor who waits without an answer, or an
  operator woken on one of their channels, left an event per poll on the
  others, for the life of the process. A poll now takes its event off
  every list when it ends.

``bench/longpoll.py`` measures them against Odoo 11 (docs/ARCHITECTURE.md).
"""

import json
import logging
import types

from psycopg2.pool import PoolError

import odoo
from odoo import SUPERUSER_ID, api, sql_db
from odoo.tools import config

_logger = logging.getLogger(__name__)

#: Reads for woken polls at once, each with a connection of its own beside
#: the gate's places.
READERS = 4

#: Seconds a greenlet waits for a database connection before it gives up
#: with Odoo's own PoolError (a long poll then answers 500 and the client
#: polls again): long enough for any burst to drain, short of a proxy's
#: read timeout.
GATE_TIMEOUT = 30


class ConnectionGate(object):
    """At most ``places`` greenlets (or threads) hold database cursors at
    once; the others wait for a place in turn.

    The place is the owner's, not the cursor's: an owner that holds one
    opens more cursors without waiting (Odoo's request cursor is open while
    a route opens a transaction of its own), and gives the place back when
    its last cursor closes.

    Owners in :attr:`exempt` pass without a place: the reads that answer
    woken polls (:class:`WokenReads`, a few at a time by their own bound)
    must not queue behind a crowd of polls arriving.

    ``semaphore``: the class of the waiting primitive (gevent's in the
    long-polling process); ``current``: a function naming the running
    greenlet or thread.
    """

    def __init__(self, places, semaphore, current, timeout=GATE_TIMEOUT):
        self.places = places
        self._free = semaphore(places)
        self._current = current
        self._timeout = timeout
        #: owner -> number of its cursors open
        self._held = {}
        self.exempt = set()

    def enter(self):
        """Take a place for the running owner (waiting for one if it holds
        none) and return the owner, to give to :meth:`leave`."""
        owner = self._current()
        held = self._held.get(owner, 0)
        if (
            not held
            and owner not in self.exempt
            and not self._free.acquire(timeout=self._timeout)
        ):
            raise PoolError(
                "No database connection was free for %d seconds" % self._timeout
            )
        self._held[owner] = held + 1
        return owner

    def leave(self, owner):
        held = self._held.get(owner, 0) - 1
        if held > 0:
            self._held[owner] = held
        elif owner in self._held:
            del self._held[owner]
            if owner not in self.exempt:
                self._free.release()

    @property
    def owners(self):
        """How many owners hold a place now."""
        return len(self._held)


def gate_cursors(gate, cursor_class=sql_db.Cursor):
    """Make every cursor of ``cursor_class`` on a database pass ``gate``: a
    place is taken before its connection is borrowed, and given back when
    it is closed (by ``close()``, or by the garbage collector for a cursor
    someone forgot to close).

    Cursors on the ``postgres`` database pass freely: the bus's listener
    holds one for the life of the process (it would keep a place for ever),
    and the fast path lists the databases one request at a time."""
    original_init = cursor_class.__init__
    original_close = cursor_class._close

    def __init__(self, pool, dbname, *args, **kwargs):
        if dbname == "postgres":
            return original_init(self, pool, dbname, *args, **kwargs)
        # As Odoo's own first line: __del__ reads it if we fail.
        self._closed = True
        owner = gate.enter()
        try:
            original_init(self, pool, dbname, *args, **kwargs)
        except Exception:
            gate.leave(owner)
            raise
        # In __dict__: Cursor.__getattr__ would ask the closed cursor.
        self.__dict__["_livechat_gate_owner"] = owner

    def _close(self, leak=False):
        try:
            return original_close(self, leak)
        finally:
            owner = self.__dict__.pop("_livechat_gate_owner", None)
            if owner is not None:
                gate.leave(owner)

    cursor_class.__init__ = __init__
    cursor_class._close = _close


def _key(channel):
    """A channel as the bus stores it (JSON without spaces): the key that
    matches a poll's channels with the notifications read for a batch."""
    return json.dumps(channel, separators=(",", ":"))


def read_woken(env, polls):
    """What each poll of ``polls`` (``(channels, last, options)``) gets once
    woken: what Odoo 11's ``bus.bus.poll(channels, last, options,
    force_status=True)`` returns, read for all of them at once.

    The notifications come from one statement that looks each (channel,
    last) pair up on the channel's index (the notifications of the last
    ``TIMEOUT`` seconds for a poll that has none yet, as Odoo): not one
    ``bus.bus.poll`` of every channel after the smallest ``last``, which
    read every operator's old notifications again (seconds for a team of
    500). The presence of the polls' partners is one read."""
    from odoo.addons.bus.models.bus import TIMEOUT

    pairs = {}
    for channels, last, _options in polls:
        for channel in channels:
            key = _key(channel)
            pairs[key] = min(pairs.get(key, last), last)
    env.cr.execute(
        """SELECT DISTINCT b.id, b.channel, b.message
           FROM unnest(%s::varchar[], %s::int[]) AS p(channel, last)
           JOIN bus_bus b ON b.channel = p.channel
            AND (b.id > p.last OR p.last = 0)
           WHERE p.last > 0
              OR b.create_date > (now() AT TIME ZONE 'UTC') - %s * interval '1 second'
           ORDER BY b.id""",
        (list(pairs), list(pairs.values()), TIMEOUT),
    )
    by_channel = {}
    for row_id, channel, message in env.cr.fetchall():
        by_channel.setdefault(channel, []).append(
            {
                "id": row_id,
                "channel": json.loads(channel),
                "message": json.loads(message),
            }
        )
    partner_ids = list(
        dict.fromkeys(
            pid
            for _c, _l, options in polls
            for pid in (options.get("bus_presence_partner_ids") or ())
        )
    )
    statuses = {}
    if partner_ids:
        for partner in env["res.partner"].browse(partner_ids):
            statuses[partner.id] = partner.im_status
    answers = []
    for channels, last, options in polls:
        mine = sorted(
            (
                item
                for key in set(_key(channel) for channel in channels)
                for item in by_channel.get(key, ())
                if item["id"] > last
            ),
            key=lambda item: item["id"],
        )
        mine += [
            {
                "id": -1,
                "channel": (env.cr.dbname, "bus.presence"),
                "message": {"id": pid, "im_status": statuses.get(pid)},
            }
            for pid in options.get("bus_presence_partner_ids") or ()
        ]
        answers.append(mine)
    return answers


class WokenReads(object):
    """The polls woken together share one read (gevent process only).

    The first poll woken asks for a read and yields once, so that every poll
    the same notification woke joins the batch; one greenlet then reads for
    the batch, and each poll gets its own answer. Polls woken while a read
    runs make the next batch.
    """

    def __init__(self):
        #: dbname -> [(channels, last, options, AsyncResult)]
        self.pending = {}
        self._readers = None

    def wait_read(self, dbname, channels, last, options):
        import gevent
        from gevent.event import AsyncResult

        answer = AsyncResult()
        batch = self.pending.setdefault(dbname, [])
        batch.append((channels, last, options, answer))
        if len(batch) == 1:
            gevent.spawn(self._read, dbname)
        return answer.get()

    def _read(self, dbname):
        import gevent
        import gevent.lock

        gevent.sleep(0)
        batch = self.pending.pop(dbname, [])
        if self._readers is None:
            self._readers = gevent.lock.BoundedSemaphore(READERS)
        gate = getattr(sql_db.Cursor, "_livechat_gate", None)
        me = gevent.getcurrent()
        try:
            with self._readers:
                if gate is not None:
                    gate.exempt.add(me)
                # A greenlet of its own: it needs its own environments.
                with api.Environment.manage(), odoo.registry(dbname).cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    answers = read_woken(env, [item[:3] for item in batch])
        except Exception as error:  # pylint: disable=broad-except
            for item in batch:
                item[3].set_exception(error)
            return
        finally:
            if gate is not None:
                gate.exempt.discard(me)
        for item, answer in zip(batch, answers):
            item[3].set(answer)


def _forget(dispatch, channels, event):
    """Take ``event`` off the waiting lists of ``channels``."""
    from odoo.addons.bus.models.bus import hashable

    for channel in channels:
        key = hashable(channel)
        waiting = dispatch.channels.get(key)
        if waiting is None:
            continue
        try:
            waiting.remove(event)
        except ValueError:
            continue
        if not waiting:
            dispatch.channels.pop(key, None)


def poll(self, dbname, channels, last, options=None, timeout=None):
    """Odoo 11's ``ImDispatch.poll`` (the first read, peek mode, the read
    once woken), with three changes: the poll waits from before its first
    read, polls woken together share one read, and the poll's event leaves
    the waiting lists when it ends (see the module's docstring)."""
    from odoo.addons.bus.models.bus import TIMEOUT, hashable

    if options is None:
        options = {}
    if timeout is None:
        timeout = TIMEOUT
    if not odoo.evented:
        # As Odoo: a waiting poll must not hold the threaded server's stop.
        import threading

        current = threading.current_thread()
        current._daemonic = True
        current.setName("openerp.longpolling.request.%s" % current.ident)
    registry = odoo.registry(dbname)
    if not self.started:
        self.start()
    # Waiting from before the first read, not after it as Odoo did: a
    # message committed and notified between the two waited for the poll's
    # timeout (50 s), seen with a team of 500 woken at once.
    event = self.Event()
    for channel in channels:
        self.channels.setdefault(hashable(channel), []).append(event)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            notifications = env["bus.bus"].poll(channels, last, options)
        if options.get("peek"):
            return dict(notifications=notifications, channels=channels)
        if notifications:
            return notifications
        try:
            event.wait(timeout=timeout)
            if odoo.evented and event.is_set():
                return _woken_reads.wait_read(dbname, channels, last, options)
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                return env["bus.bus"].poll(channels, last, options, force_status=True)
        except Exception:  # pylint: disable=broad-except
            # As Odoo: the client polls again (and now the reason is logged).
            _logger.warning(
                "A long poll ended without its notifications", exc_info=True
            )
            return []
    finally:
        _forget(self, channels, event)


_woken_reads = WokenReads()


def install():
    """Mend the running process's long polling (once; see the module's
    docstring)."""
    from odoo.addons.bus.models import bus

    dispatch = bus.dispatch
    if dispatch is not None and not getattr(dispatch, "_livechat_mended", False):
        # The instance, not the class: Odoo's controllers imported this one.
        dispatch.poll = types.MethodType(poll, dispatch)
        dispatch._livechat_mended = True
    if odoo.evented and not getattr(sql_db.Cursor, "_livechat_gate", None):
        import gevent
        import gevent.lock

        # The pool's connections: two per place, READERS for the woken
        # polls' reads, one for the bus's listener, one for listing the
        # databases (one at a time: the fast path's cache).
        gate = ConnectionGate(
            max(1, (int(config["db_maxconn"]) - READERS - 2) // 2),
            gevent.lock.BoundedSemaphore,
            gevent.getcurrent,
        )
        gate_cursors(gate)
        sql_db.Cursor._livechat_gate = gate
        _logger.info(
            "Long polling: at most %d greenlets hold database connections at once",
            gate.places,
        )
