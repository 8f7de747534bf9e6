# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The long-polling process's mending (engine/longpolling.py): the
connection gate, the shared read of woken polls, the events left behind.
The whole, in Odoo's real gevent process under load: bench/longpoll.py and
tests/browser/test_longpolling.py."""
import uuid

import gevent
import gevent.lock
from psycopg2.pool import PoolError

from odoo.tests.common import TransactionCase

from odoo.addons.bus.models.bus import dispatch, hashable

from ..engine import longpolling


class TestConnectionGate(TransactionCase):
    def test_at_most_places_owners_and_nested_cursors_pass(self):
        gate = longpolling.ConnectionGate(
            2, gevent.lock.BoundedSemaphore, gevent.getcurrent, timeout=5
        )
        holding, most = [], []

        def request():
            outer = gate.enter()
            holding.append(outer)
            most.append(gate.owners)
            # A cursor of its own while it holds one: never waits.
            inner = gate.enter()
            self.assertIs(inner, outer)
            gevent.sleep(0.01)
            gate.leave(inner)
            gate.leave(outer)

        greenlets = [gevent.spawn(request) for _i in range(8)]
        gevent.joinall(greenlets, timeout=10, raise_error=True)
        self.assertTrue(all(g.successful() for g in greenlets))
        self.assertEqual(len(holding), 8)
        self.assertEqual(max(most), 2)
        self.assertEqual(gate.owners, 0)

    def test_a_greenlet_that_waits_too_long_gets_odoo_s_error(self):
        gate = longpolling.ConnectionGate(
            1, gevent.lock.BoundedSemaphore, gevent.getcurrent, timeout=0.05
        )
        blocker = gevent.spawn(lambda: (gate.enter(), gevent.sleep(1)))
        gevent.sleep(0)
        waiter = gevent.spawn(gate.enter)
        waiter.join(timeout=5)
        self.assertIsInstance(waiter.exception, PoolError)
        blocker.kill()


def _plain(notifications):
    """Notifications as JSON would carry them (channels as lists)."""
    return [
        (
            item["id"],
            (
                list(item["channel"])
                if isinstance(item["channel"], (list, tuple))
                else item["channel"]
            ),
            item["message"],
        )
        for item in notifications
    ]


class TestWokenReads(TransactionCase):
    def setUp(self):
        super().setUp()
        self.db = self.env.cr.dbname
        self.tag = uuid.uuid4().hex

    def _channels(self, count):
        return ["lp-%s-%d" % (self.tag, index) for index in range(count)]

    def test_each_woken_poll_gets_what_odoo_s_own_read_gives(self):
        Bus = self.env["bus.bus"]
        a, b, c = self._channels(3)
        partner = (self.db, "res.partner", self.env.user.partner_id.id)
        Bus.sendmany([[a, {"n": 1}], [b, {"n": 2}], [partner, {"n": 3}]])
        first = Bus.search([("channel", "=", '"%s"' % a)]).id
        Bus.sendmany([[a, {"n": 4}], [c, {"n": 5}], [b, {"n": 6}]])
        polls = [
            ([a], 0, {}),
            ([a, b], first, {}),
            ([b, c, partner], 0, {"bus_presence_partner_ids": [3]}),
            ([c], first + 100, {}),
            ([self._channels(4)[3]], 0, {}),
        ]
        answers = longpolling.read_woken(self.env, polls)
        for (channels, last, options), answer in zip(polls, answers):
            expected = Bus.poll(channels, last, options, force_status=True)
            self.assertEqual(_plain(answer), _plain(expected))
        self.assertEqual([i["message"]["n"] for i in answers[0]], [1, 4])
        self.assertEqual([i["message"]["n"] for i in answers[1]], [2, 4, 6])
        self.assertEqual(answers[2][-1]["message"]["id"], 3)
        self.assertEqual(answers[3], [])
        self.assertEqual(answers[4], [])


class TestEventsLeftBehind(TransactionCase):
    def test_a_poll_that_times_out_leaves_no_event(self):
        channels = ["lp-idle-%s" % uuid.uuid4().hex, "lp-idle-%s" % uuid.uuid4().hex]
        result = dispatch.poll(self.env.cr.dbname, channels, 0, {}, timeout=0.05)
        self.assertEqual(result, [])
        for channel in channels:
            self.assertNotIn(hashable(channel), dispatch.channels)
