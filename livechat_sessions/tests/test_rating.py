# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer satisfaction: the question asked when a session closes, the
rating the customer gives (or changes), who can and cannot set it, the
reports, and a bad rating's processes started once under a race."""
import datetime
import threading

from odoo import fields
from odoo.exceptions import AccessError, UserError

from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase


class TestRating(LivechatCase):
    @classmethod
    def setUpClass(cls):
        super(TestRating, cls).setUpClass()
        cls.chat_a.write(
            {"rating_enabled": True, "rating_question": "Happy with our help?"}
        )

    def closed_session(self, account="tg-1", chat=None):
        session = self.receive("Hello", account=account, chat=chat).session_id
        operator = (
            self.operator if (chat or self.chat_a) == self.chat_a else (self.operator_b)
        )
        session.sudo(operator).action_take()
        session.sudo(operator).reply("Here is your answer")
        session.sudo(operator).action_close()
        return session

    def question(self, session):
        return session.message_ids.filtered("is_rating_request")

    def test_closing_asks_the_customer_once(self):
        session = self.closed_session()
        question = self.question(session)
        self.assertEqual(len(question), 1)
        self.assertEqual(
            (question.direction, question.author_user_id, question.delivery_state),
            ("out", self.operator, "pending"),
        )
        self.assertIn("Happy with our help?", question.body)
        self.assertTrue(session.rating_requested_date)
        self.assertGreaterEqual(len(session.sudo().rating_token), 32)
        # Closing again changes nothing (already closed).
        session.sudo(self.operator).action_close()
        self.assertEqual(len(self.question(session)), 1)

    def test_not_asked_where_it_makes_no_sense(self):
        # The chat does not ask.
        self.assertFalse(self.question(self.closed_session(chat=self.chat_b)))
        # Spam is never asked.
        spam = self.receive("buy", account="tg-spam").session_id
        spam.sudo(self.operator).action_mark_spam()
        self.env["livechat.session"].browse(spam.id).action_close()
        self.assertFalse(self.question(spam))
        # An employee's chat with colleagues is not rated.
        internal = self.receive("help", channel="internal", account="emp-1").session_id
        internal.action_close()
        self.assertFalse(self.question(internal))
        # A session the customer never wrote in (an operator wrote first).
        account = self.receive("earlier", account="tg-quiet").author_account_id
        account.session_ids.action_close()
        started = (
            self.env["livechat.session"]
            .sudo(self.operator)
            .create({"chat_id": self.chat_a.id, "account_id": account.id})
        )
        started.sudo(self.operator).reply("Your order shipped")
        started.sudo(self.operator).action_close()
        self.assertFalse(self.question(started))

    def test_the_customer_rates_and_may_change_their_mind(self):
        session = self.closed_session()
        token = session.sudo().rating_token
        Session = self.env["livechat.session"]
        Session._rate_by_token(token, "okay", "Slow but fine")
        self.assertEqual(
            (session.rating, session.rating_score, session.rating_comment),
            ("okay", 50, "Slow but fine"),
        )
        self.assertTrue(session.rating_date)
        # A face without a comment keeps the comment given before.
        Session._rate_by_token(token, "good")
        self.assertEqual(
            (session.rating, session.rating_score, session.rating_comment),
            ("good", 100, "Slow but fine"),
        )
        # The session's followers learn of it live.
        payloads = self.bus_payloads(self.operator.partner_id)
        self.assertIn("livechat.session_rated", [p["type"] for p in payloads])

    def test_bad_input_is_refused_clearly_and_changes_nothing(self):
        session = self.closed_session()
        token = session.sudo().rating_token
        Session = self.env["livechat.session"]
        for value, comment in [
            ("great", None),
            (None, None),
            (5, None),
            ("good", 42),
            ("good", "x" * 1001),
        ]:
            with self.assertRaises(UserError):
                Session._rate_by_token(token, value, comment)
        for bad_token in [None, "", "x" * 32, token + "x", token[:-1], 123]:
            with self.assertRaises(UserError):
                Session._rate_by_token(bad_token, "good")
        self.assertFalse(session.rating)
        # Control characters are dropped from a comment; line breaks stay.
        Session._rate_by_token(token, "bad", "Too\x00 slow\nreally")
        self.assertEqual(session.rating_comment, "Too slow\nreally")

    def test_rating_ends_after_seven_days_and_needs_a_closed_asked_session(self):
        session = self.closed_session()
        token = session.sudo().rating_token
        session.sudo().write(
            {
                "rating_requested_date": fields.Datetime.to_string(
                    datetime.datetime.utcnow() - datetime.timedelta(days=8)
                )
            }
        )
        self.assertFalse(session._rating_open())
        with self.assertRaises(UserError):
            self.env["livechat.session"]._rate_by_token(token, "good")
        self.assertFalse(session.rating)
        # An open session (never asked) cannot be rated either.
        open_session = self.receive("again", account="tg-open").session_id
        with self.assertRaises(UserError):
            open_session._rate("good")

    def test_staff_can_neither_rate_nor_read_the_secret(self):
        session = self.closed_session()
        for user in (self.operator, self.supervisor, self.reader):
            with self.assertRaises(AccessError):
                session.sudo(user).write({"rating": "good", "rating_score": 100})
            with self.assertRaises(AccessError):
                session.sudo(user).read(["rating_token"])
        # They read the rating itself.
        session._rate("good", "Thanks")
        self.assertEqual(
            session.sudo(self.reader).read(["rating", "rating_comment"])[0]["rating"],
            "good",
        )

    def test_workspace_shows_the_rating(self):
        session = self.closed_session()
        session._rate("bad", "Nobody answered my question")
        data = (
            self.env["livechat.conversation"].sudo(self.supervisor).messages(session.id)
        )
        self.assertEqual(data["session"]["rating"], "bad")
        self.assertEqual(data["session"]["rating_label"], "😞 Bad")
        self.assertEqual(
            data["session"]["rating_comment"], "Nobody answered my question"
        )

    def test_reports_average_and_count_ratings(self):
        rated = [
            (self.closed_session(account="tg-r1"), "good"),
            (self.closed_session(account="tg-r2"), "okay"),
            (self.closed_session(account="tg-r3"), "bad"),
            (self.closed_session(account="tg-r4"), "good"),
        ]
        self.closed_session(account="tg-r5")  # asked, never answered
        for session, value in rated:
            session._rate(value)
        Chat = self.env["livechat.report.chat"]
        row = Chat.read_group(
            [("chat_id", "=", self.chat_a.id)],
            [
                "chat_id",
                "sessions",
                "rated",
                "rating_good",
                "rating_okay",
                "rating_bad",
                "satisfaction",
            ],
            ["chat_id"],
        )[0]
        self.assertEqual(
            (
                row["sessions"],
                row["rated"],
                row["rating_good"],
                row["rating_okay"],
                row["rating_bad"],
            ),
            (5, 4, 2, 1, 1),
        )
        self.assertAlmostEqual(row["satisfaction"], 62.5)
        by_rating = {
            r["rating"]: r["rating_count"]
            for r in Chat.read_group(
                [("chat_id", "=", self.chat_a.id), ("rated", "=", 1)],
                ["rating"],
                ["rating"],
            )
        }
        self.assertEqual(by_rating, {"good": 2, "okay": 1, "bad": 1})
        Operator = self.env["livechat.report.operator"]
        row = Operator.read_group(
            [("operator_id", "=", self.operator.id), ("chat_id", "=", self.chat_a.id)],
            ["operator_id", "rated", "rating_bad", "satisfaction", "messages_sent"],
            ["operator_id"],
        )[0]
        self.assertEqual((row["rated"], row["rating_bad"]), (4, 1))
        self.assertAlmostEqual(row["satisfaction"], 62.5)
        # One answer per session: the rating questions are not replies.
        self.assertEqual(row["messages_sent"], 5)

    def test_a_bad_rating_schedules_the_low_rating_processes_once(self):
        action = self.env["ir.actions.server"].create(
            {
                "name": "Call back",
                "model_id": self.env.ref("livechat_sessions.model_livechat_session").id,
                "state": "code",
                "code": "record.write({'priority': '3'})",
            }
        )
        self.chat_a.process_rated_low_ids = action

        def scheduled():
            return [
                func
                for func in self.env.cr._event_handlers["commit"]
                if func.__qualname__.startswith("LivechatSession._run_processes")
            ]

        session = self.closed_session()
        before = len(scheduled())
        session._rate("okay")
        self.assertEqual(len(scheduled()), before)
        session._rate("bad")
        self.assertEqual(len(scheduled()), before + 1)
        session._rate("bad", "still bad")  # already bad: not again
        self.assertEqual(len(scheduled()), before + 1)
        # What the process gets: the session and the event.
        session._run_process(action, "rated_low")
        self.assertEqual(session.priority, "3")
        self.assertEqual(session.process_log_ids.event, "rated_low")


class TestRatingRace(CommittedChatCase):
    def test_the_same_bad_rating_twice_at_once_starts_its_process_once(self):
        """The customer presses "bad" on two devices at once: both may be
        told thanks or one asked to send again, but the session is rated bad
        and the low-rating process runs exactly once."""

        def configure(env):
            action = env["ir.actions.server"].create(
                {
                    "name": "Escalate %s" % self.tag,
                    "state": "code",
                    "model_id": env.ref("livechat_sessions.model_livechat_session").id,
                    "code": "record.write({'priority': '3'})",
                }
            )
            chat = env["livechat.chat"].browse(self.chat_id)
            chat.write(
                {"rating_enabled": True, "process_rated_low_ids": [(6, 0, action.ids)]}
            )
            return action.id

        action_id = run_with_retry(self.registry, configure)
        message_id = self.commit_message("race-rater", "hello")

        def close(env):
            session = env["livechat.message"].browse(message_id).session_id
            session.action_close()
            return session.id, session.rating_token

        session_id, token = run_with_retry(self.registry, close)
        self.assertTrue(token)
        barrier = threading.Barrier(2)
        results = []

        def rate():
            def work(env):
                barrier.wait(10)
                env["livechat.session"]._rate_by_token(token, "bad")
                return "rated"

            try:
                results.append(run_with_retry(self.registry, work, tries=1))
            except UserError as error:
                results.append(error.name)

        threads = [threading.Thread(target=rate) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertIn("rated", results)
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT s.rating, count(l.id) FROM livechat_session s
                   LEFT JOIN livechat_session_process_log l
                     ON l.session_id = s.id AND l.action_id = %s
                   WHERE s.id = %s GROUP BY s.rating""",
                (action_id, session_id),
            )
            self.assertEqual(cr.fetchall(), [("bad", 1)])
