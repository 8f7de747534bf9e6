# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

from odoo import fields

from .common import LivechatCase


class TestReports(LivechatCase):
    """The reports' numbers against a fixture computed by hand, and the
    measures written as sessions really move."""

    def _session(self, account, start, **vals):
        account = self.env["livechat.account"].create(
            {"name": account, "channel": "messenger", "external_id": account}
        )
        return self.env["livechat.session"].create(
            dict(
                {
                    "chat_id": self.chat_a.id,
                    "account_id": account.id,
                    "channel": "messenger",
                    "first_message_date": start,
                    "last_message_date": start,
                },
                **vals,
            )
        )

    def _out(self, session, user, date, response_time, first=False):
        self.env["livechat.message"].create(
            {
                "session_id": session.id,
                "channel": "messenger",
                "direction": "out",
                "author_user_id": user.id,
                "body": "<p>reply</p>",
                "date": date,
                "response_time": response_time,
                "is_first_response": first,
            }
        )

    def _event(self, session, event, user, date, handle_time=None):
        self.env["livechat.session.event"].create(
            {
                "session_id": session.id,
                "event": event,
                "user_id": user.id,
                "date": date,
                "handle_time": handle_time,
            }
        )

    def test_numbers_match_the_hand_computed_fixture(self):
        op, op2 = self.operator, self.operator2
        # s1: Monday 09:00, taken by op at 09:02, first reply 09:03, closed 09:30.
        s1 = self._session(
            "s1",
            "2026-03-02 09:00:00",
            state="closed",
            operator_id=op.id,
            assigned_date="2026-03-02 09:02:00",
            queue_wait=120,
            first_response_date="2026-03-02 09:03:00",
            first_response_time=180,
            handle_time=1680,
        )
        self._event(s1, "taken", op, "2026-03-02 09:02:00")
        self._out(s1, op, "2026-03-02 09:03:00", 60, first=True)
        self._out(s1, op, "2026-03-02 09:10:00", 120)
        self._event(s1, "closed", op, "2026-03-02 09:30:00", handle_time=1680)
        # s2: 10:00, taken by op at 10:10, transferred to op2, who answers at
        # 10:20 (waited 600 s since the customer's message) and closes.
        s2 = self._session(
            "s2",
            "2026-03-02 10:00:00",
            state="closed",
            operator_id=op2.id,
            assigned_date="2026-03-02 10:10:00",
            queue_wait=600,
            first_response_date="2026-03-02 10:20:00",
            first_response_time=1200,
            handle_time=1200,
        )
        self._event(s2, "taken", op, "2026-03-02 10:10:00")
        self._event(s2, "transferred", op, "2026-03-02 10:12:00")
        self._event(s2, "assigned", op2, "2026-03-02 10:12:00")
        self._out(s2, op2, "2026-03-02 10:20:00", 600, first=True)
        self._event(s2, "closed", op2, "2026-03-02 10:30:00", handle_time=1200)
        # s3: abandoned (closed, never answered); s4: spam.
        self._session("s3", "2026-03-02 11:00:00", state="closed")
        self._session("s4", "2026-03-02 12:00:00", is_spam=True)

        rows = self.env["livechat.report.operator"].read_group(
            [("chat_id", "=", self.chat_a.id)],
            [
                "operator_id",
                "sessions_taken",
                "sessions_closed",
                "sessions_transferred",
                "messages_sent",
                "first_response_time",
                "response_time",
                "handle_time",
            ],
            ["operator_id"],
        )
        got = {r["operator_id"][0]: r for r in rows}
        expected = {
            op.id: dict(
                sessions_taken=2,
                sessions_closed=1,
                sessions_transferred=1,
                messages_sent=2,
                first_response_time=3.0,
                response_time=1.5,
                handle_time=28.0,
            ),
            op2.id: dict(
                sessions_taken=1,
                sessions_closed=1,
                sessions_transferred=0,
                messages_sent=1,
                first_response_time=20.0,
                response_time=10.0,
                handle_time=20.0,
            ),
        }
        self.assertEqual(set(got), set(expected))
        for user_id, values in expected.items():
            for key, value in values.items():
                self.assertAlmostEqual(
                    got[user_id][key], value, places=4, msg="%s %s" % (user_id, key)
                )

        chat_rows = self.env["livechat.report.chat"].read_group(
            [("chat_id", "=", self.chat_a.id)],
            [
                "chat_id",
                "sessions",
                "spam_sessions",
                "abandoned",
                "queue_wait",
                "queue_wait_p90",
            ],
            ["chat_id"],
        )
        self.assertEqual(len(chat_rows), 1)
        row = chat_rows[0]
        self.assertEqual(
            (row["sessions"], row["spam_sessions"], row["abandoned"]), (3, 1, 1)
        )
        self.assertAlmostEqual(row["queue_wait"], 6.0, places=4)  # (2 + 10) / 2
        # p90 of 120 s and 600 s: 120 + 0.9 * 480 = 552 s = 9.2 min.
        self.assertAlmostEqual(row["queue_wait_p90"], 9.2, places=4)
        by_hour = self.env["livechat.report.chat"].read_group(
            [("chat_id", "=", self.chat_a.id)], ["hour", "sessions"], ["hour"]
        )
        self.assertEqual(
            {r["hour"]: r["sessions"] for r in by_hour}, {9: 1, 10: 1, 11: 1, 12: 0}
        )
        weekdays = self.env["livechat.report.chat"].read_group(
            [("chat_id", "=", self.chat_a.id)], ["weekday", "sessions"], ["weekday"]
        )
        self.assertEqual([(r["weekday"], r["sessions"]) for r in weekdays], [("1", 3)])

    def test_measures_are_written_as_sessions_move(self):
        five_minutes_ago = fields.Datetime.to_string(
            datetime.utcnow() - timedelta(minutes=5)
        )
        session = self.receive("help", date=five_minutes_ago).session_id
        as_op = session.sudo(self.operator)
        as_op.action_take()
        self.assertAlmostEqual(session.queue_wait, 300, delta=30)
        reply = as_op.reply("here")
        self.assertTrue(reply.is_first_response)
        self.assertAlmostEqual(reply.response_time, 300, delta=30)
        self.assertAlmostEqual(session.first_response_time, 300, delta=30)
        self.receive("thanks")
        second = as_op.reply("welcome")
        self.assertFalse(second.is_first_response)
        self.assertLess(second.response_time, 30)
        session.sudo(self.supervisor).action_assign(user_id=self.operator2.id)
        session.sudo(self.operator2).action_close()
        events = self.env["livechat.session.event"].search(
            [("session_id", "=", session.id)]
        )
        self.assertEqual(
            [(e.event, e.user_id) for e in events],
            [
                ("taken", self.operator),
                ("transferred", self.operator),
                ("assigned", self.operator2),
                ("closed", self.operator2),
            ],
        )
        self.assertIsNotNone(session.handle_time)
        self.assertLess(session.handle_time, 30)

    def test_supervisors_see_their_chats_only(self):
        self.receive("a").session_id.sudo(self.operator).action_take()
        self.receive("b", chat=self.chat_b, account="tg-b").session_id.sudo(
            self.operator_b
        ).action_take()
        Report = self.env["livechat.report.operator"]
        chat_b_rows = [("chat_id", "=", self.chat_b.id)]
        self.assertTrue(Report.sudo(self.manager).search(chat_b_rows))
        self.assertTrue(Report.sudo(self.supervisor).search([]))
        self.assertFalse(Report.sudo(self.supervisor).search(chat_b_rows))
