# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Races settled by PostgreSQL, proven with real concurrent transactions.

These tests commit: each works on its own chat, team and customers, created
and committed in setUp and removed in tearDown, in cursors of their own (the
test case's cursor never sees them).
"""
import json
import select
import threading
import time

import psycopg2

import odoo
from odoo.exceptions import UserError
from odoo.sql_db import connection_info_for

from ..models.bus_bus import wake_payloads
from ..tools.transaction import run_with_retry
from .common import CommittedChatCase


class TestConcurrency(CommittedChatCase):

    def _receive(self, account, external_id, body="hi"):
        def work(env):
            return (
                env["livechat.chat"]
                .browse(self.chat_id)
                ._receive_message(
                    "messenger",
                    {"external_id": account, "name": account},
                    body,
                    external_id=external_id,
                )
                .id
            )

        return run_with_retry(self.registry, work)

    def _read(self, query, params):
        with self.registry.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall()

    def _take(self, session_id, uid):
        def work(env):
            env["livechat.session"].browse(session_id).action_take()
            return uid

        # No retry here: a serialization failure inside action_take is part
        # of the race it settles.
        return run_with_retry(self.registry, work, uid=uid, tries=1)

    def test_two_operators_take_the_same_session(self):
        for round_ in range(5):
            session_id = self._session_of(
                self._receive("cust-%d" % round_, "take-%d" % round_)
            )
            op1, op2 = self.operator_ids
            results = self._in_threads(
                lambda: self._take(session_id, op1), lambda: self._take(session_id, op2)
            )
            winners = [r for r in results if not isinstance(r, Exception)]
            losers = [r for r in results if isinstance(r, Exception)]
            self.assertEqual(len(winners), 1, results)
            self.assertEqual(len(losers), 1, results)
            self.assertIsInstance(losers[0], UserError)
            self.assertRegex(losers[0].name, "already taken|changed while")
            stored = self._read(
                "SELECT state, operator_id FROM livechat_session " "WHERE id = %s",
                (session_id,),
            )
            self.assertEqual(stored, [("active", winners[0])])

    def test_take_waits_for_the_first_transaction(self):
        """The second taker blocks on the row until the first commits, then
        gets the clear error (not a stale success)."""
        session_id = self._session_of(self._receive("cust-w", "w-1"))
        op1, op2 = self.operator_ids
        first = self.registry.cursor()
        try:
            with odoo.api.Environment.manage():
                env1 = odoo.api.Environment(first, op1, {})
                env1["livechat.session"].browse(session_id).action_take()
                outcome = {}

                def second():
                    try:
                        outcome["result"] = self._take(session_id, op2)
                    except Exception as error:  # pylint: disable=broad-except
                        outcome["result"] = error

                thread = threading.Thread(target=second)
                thread.start()
                time.sleep(1.0)
                self.assertTrue(thread.is_alive(), "the second taker should wait")
                first.commit()
        finally:
            first.close()
        thread.join(30)
        self.assertIsInstance(outcome["result"], UserError)
        self.assertEqual(
            self._read(
                "SELECT operator_id FROM livechat_session " "WHERE id = %s",
                (session_id,),
            ),
            [(op1,)],
        )

    def test_same_new_customer_twice_at_once(self):
        """Two messages of a new customer at the same moment: one account,
        one session, both messages."""
        results = self._in_threads(
            lambda: self._receive("new-cust", "n-1", "one"),
            lambda: self._receive("new-cust", "n-2", "two"),
        )
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        rows = self._read(
            """SELECT count(DISTINCT s.id), count(DISTINCT s.account_id), count(m.id)
               FROM livechat_session s JOIN livechat_message m ON m.session_id = s.id
               WHERE s.chat_id = %s""",
            (self.chat_id,),
        )
        self.assertEqual(rows, [(1, 1, 2)])

    def test_same_webhook_delivered_twice_at_once(self):
        self._receive("dup-cust", "warm")
        results = self._in_threads(
            lambda: self._receive("dup-cust", "d-1", "once"),
            lambda: self._receive("dup-cust", "d-1", "once"),
        )
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        self.assertEqual(results[0], results[1])
        self.assertEqual(
            self._read(
                "SELECT count(*) FROM livechat_message WHERE external_id = 'd-1' "
                "AND channel = 'messenger'",
                (),
            ),
            [(1,)],
        )

    def test_commit_wakes_the_bus_listener(self):
        """A customer message, once committed, wakes Odoo's long-polling
        listener (LISTEN imbus on the postgres database) for the operators'
        partner channels, and the notification rows are there to fetch."""
        listener = psycopg2.connect(**connection_info_for("postgres")[1])
        listener.autocommit = True
        try:
            listener.cursor().execute("LISTEN imbus")
            message_id = self._receive("bus-cust", "bus-1", "wake up")
            woken = []
            deadline = time.time() + 10
            while not woken and time.time() < deadline:
                if select.select([listener], [], [], 1) != ([], [], []):
                    listener.poll()
                    woken += [n.payload for n in listener.notifies]
        finally:
            listener.close()
        self.assertTrue(woken, "no NOTIFY imbus after commit")
        partners = self._read(
            "SELECT partner_id FROM res_users WHERE id IN %s",
            (tuple(self.operator_ids),),
        )
        channels = [c for payload in woken for c in json.loads(payload)]
        dbname = self.env.cr.dbname
        for (partner_id,) in partners:
            self.assertIn([dbname, "res.partner", partner_id], channels)
            rows = self._read(
                "SELECT message FROM bus_bus WHERE channel = %s",
                (
                    json.dumps(
                        [dbname, "res.partner", partner_id], separators=(",", ":")
                    ),
                ),
            )
            self.assertIn(message_id, [json.loads(r[0])["message"]["id"] for r in rows])

    def test_a_team_of_600_is_woken_in_parts_below_postgresqls_limit(self):
        """A wake-up listing more channels than one NOTIFY can carry (8,000
        bytes: about 280 staff) is sent in parts, and every channel is
        woken: PostgreSQL refuses the whole payload otherwise, and the long
        polls wait for their timeout."""
        dbname = self.env.cr.dbname
        channels = [
            json.dumps([dbname, "res.partner", 10**7 + n], separators=(",", ":"))
            for n in range(600)
        ]
        payloads = wake_payloads(channels)
        self.assertGreater(len(payloads), 1)
        self.assertTrue(all(len(p.encode()) < 8000 for p in payloads))
        self.assertEqual(
            [c for p in payloads for c in json.loads(p)],
            [json.loads(c) for c in channels],
        )
        listener = psycopg2.connect(**connection_info_for("postgres")[1])
        listener.autocommit = True
        woken = set()
        try:
            listener.cursor().execute("LISTEN imbus")
            run_with_retry(
                self.registry, lambda env: env["bus.bus"]._livechat_wake(channels)
            )
            deadline = time.time() + 10
            while set(channels) - woken and time.time() < deadline:
                if select.select([listener], [], [], 1) != ([], [], []):
                    listener.poll()
                    for notify in listener.notifies:
                        woken.update(
                            json.dumps(c, separators=(",", ":"))
                            for c in json.loads(notify.payload)
                        )
                    del listener.notifies[:]
        finally:
            listener.close()
        self.assertFalse(set(channels) - woken, "channels never woken")

    def test_processes_run_after_commit(self):
        """A process configured on "customer writes" runs once the message is
        committed, in its own transaction, and its run is logged."""

        def configure(env):
            action = env["ir.actions.server"].create(
                {
                    "name": "Mark %s" % self.tag,
                    "state": "code",
                    "model_id": env.ref("livechat_sessions.model_livechat_session").id,
                    "code": "record.write({'priority': '3'})",
                }
            )
            env["livechat.chat"].browse(self.chat_id).process_message_ids = action
            return action.id

        action_id = run_with_retry(self.registry, configure)
        session_id = self._session_of(self._receive("proc-cust", "p-1"))
        rows = self._read(
            """SELECT s.priority, l.state, l.event FROM livechat_session s
               JOIN livechat_session_process_log l ON l.session_id = s.id
               WHERE s.id = %s AND l.action_id = %s""",
            (session_id, action_id),
        )
        self.assertEqual(rows, [("3", "done", "message")])

    def test_two_sessions_at_once_for_the_last_free_slot(self):
        op1, op2 = self.operator_ids

        def configure(env):
            chat = env["livechat.chat"].browse(self.chat_id)
            env["res.users"].browse(op1).livechat_capacity = 1
            env["res.users"].browse(op2).livechat_status = "offline"
            env["livechat.routing.rule"].create(
                {
                    "name": "all",
                    "chat_id": chat.id,
                    "strategy": "least_loaded",
                    "group_id": chat.operator_group_ids.id,
                }
            )

        run_with_retry(self.registry, configure)
        results = self._in_threads(
            lambda: self._receive("slot-a", "s-a"),
            lambda: self._receive("slot-b", "s-b"),
        )
        self.assertFalse([r for r in results if isinstance(r, Exception)], results)
        rows = self._read(
            """SELECT state, operator_id FROM livechat_session WHERE chat_id = %s
               ORDER BY state""",
            (self.chat_id,),
        )
        self.assertEqual(rows, [("active", op1), ("queued", None)])

    def _session_of(self, message_id):
        return self._read(
            "SELECT session_id FROM livechat_message WHERE id = %s", (message_id,)
        )[0][0]
