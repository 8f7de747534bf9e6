# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Send later: a reply scheduled for a time leaves once, through the
delivery queue, and can be changed or cancelled until it leaves."""

import datetime
import threading

import psycopg2

import odoo
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.addons.livechat_sessions.tests.common import CommittedChatCase
from odoo.addons.livechat_sessions.tools.transaction import run_with_retry

from .common import ChannelCase
from .test_engine import tg_update

TOKEN = "124:SCHEDULED-token"


def later(**delta):
    return fields.Datetime.to_string(
        datetime.datetime.utcnow() + datetime.timedelta(**delta)
    )


class TestScheduledReplies(ChannelCase):
    def setUp(self):
        super(TestScheduledReplies, self).setUp()
        self.connector = self.connect_telegram(
            TOKEN, name="Scheduling bot", fetch_avatars=False
        )
        self.telegram_update(self.connector, tg_update(1, "When do you open?"))
        self.session = self.messages("telegram").session_id
        self.session.sudo(self.operator).action_take()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        operator_group = self.env.ref("livechat_sessions.group_livechat_operator")
        self.colleague = Users.create(
            {
                "name": "Channel Colleague",
                "login": "channel_colleague",
                "livechat_status": "online",
                "groups_id": [(6, 0, [operator_group.id, self.team.id])],
            }
        )
        self.supervisor = Users.create(
            {
                "name": "Channel Supervisor",
                "login": "channel_supervisor",
                "livechat_status": "online",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "livechat_sessions.group_livechat_supervisor"
                            ).id,
                            self.leads.id,
                        ],
                    )
                ],
            }
        )

    def schedule(self, body="We open at nine.", user=None, **delta):
        session = self.session.sudo(user or self.operator)
        return self.env["livechat.scheduled.reply"].browse(
            session.schedule_reply(body, later(**(delta or {"hours": 1})))
        )

    def jobs(self, reply):
        return (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "livechat.scheduled.reply"),
                    ("method_name", "=", "_send_job"),
                ],
                order="id",
            )
            .filtered(lambda job: job.record_ids == [reply.id])
        )

    def make_due(self, reply):
        self.env.cr.execute(
            "UPDATE livechat_scheduled_reply SET send_at = %s WHERE id = %s",
            # Well before the test's transaction began: PostgreSQL's now() is
            # that transaction's start.
            (later(hours=-1), reply.id),
        )
        reply.invalidate_cache()

    def sent(self):
        return self.bot.calls_of("sendMessage")

    def deliver(self, reply):
        """Run the delivery job of the reply the scheduled one became."""
        [job] = self.delivery_jobs(reply.message_id)
        self.perform(job)

    def test_a_scheduled_reply_leaves_once_at_its_time(self):
        reply = self.schedule()
        self.assertEqual(reply.state, "scheduled")
        [job] = self.jobs(reply)
        self.assertEqual(job.channel, "root.livechat")
        self.assertEqual(job.eta, reply.send_at)
        # Run early (a runner's clock, a job left from an earlier time):
        # nothing leaves.
        self.perform(job)
        self.assertEqual(reply.state, "scheduled")
        self.assertFalse(
            self.session.message_ids.filtered(lambda m: m.direction == "out")
        )
        self.make_due(reply)
        self.perform(job)
        self.assertEqual(reply.state, "sent")
        message = reply.message_id
        self.assertEqual(message.author_user_id, self.operator)
        self.assertEqual(message.direction, "out")
        self.deliver(reply)
        self.assertEqual(self.sent(), [{"chat_id": "7001", "text": "We open at nine."}])
        # The job run again sends nothing more.
        self.perform(job)
        self.assertEqual(len(self.session.message_ids.filtered("author_user_id")), 1)
        self.assertEqual(len(self.sent()), 1)

    def test_a_merged_sessions_scheduled_reply_leaves_from_the_merged_one(self):
        # The same customer from a second Telegram account of their contact.
        self.telegram_update(
            self.connector,
            tg_update(2, "It's me again, from my other phone", user_id=7002),
        )
        other = self.messages("telegram").mapped("session_id") - self.session
        contact = self.env["res.partner"].create({"name": "Tania Gram"})
        (self.session | other).mapped("account_id").write({"partner_id": contact.id})
        if other.state == "queued":
            other.sudo(self.operator).action_take()
        reply = self.env["livechat.scheduled.reply"].browse(
            other.sudo(self.operator).schedule_reply(
                "Merged and on time", later(hours=1)
            )
        )
        self.session.sudo(self.operator).action_merge(other.id)
        self.assertEqual(reply.session_id, self.session)
        self.make_due(reply)
        [job] = self.jobs(reply)
        self.perform(job)
        self.deliver(reply)
        # It leaves where the merged session talks to the customer.
        self.assertEqual(
            self.sent(), [{"chat_id": "7001", "text": "Merged and on time"}]
        )

    def test_the_conversation_shows_it_to_the_staff_until_it_leaves(self):
        reply = self.schedule()
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        data = Workspace.messages(self.session.id)
        self.assertTrue(data["session"]["can_schedule"])
        [row] = data["scheduled"]
        self.assertEqual(
            (row["id"], row["body"], row["state"], row["mine"]),
            (reply.id, "We open at nine.", "scheduled", True),
        )
        self.make_due(reply)
        self.perform(self.jobs(reply))
        self.assertEqual(Workspace.messages(self.session.id)["scheduled"], [])

    def test_edit_and_cancel_until_it_leaves(self):
        reply = self.schedule()
        session = self.session.sudo(self.operator)
        session.edit_scheduled_reply(reply.id, "We open at ten.", later(hours=2))
        self.assertEqual(reply.body, "We open at ten.")
        first, second = self.jobs(reply)
        self.make_due(reply)
        # Both jobs run (the old time's and the new one's): one reply.
        self.perform(first)
        self.perform(second)
        self.assertEqual(
            self.session.message_ids.filtered("author_user_id").body,
            "<p>We open at ten.</p>",
        )
        with self.assertRaisesRegex(UserError, "no longer scheduled: it is sent"):
            session.edit_scheduled_reply(reply.id, "Too late", later(hours=1))
        with self.assertRaisesRegex(UserError, "no longer scheduled: it is sent"):
            session.cancel_scheduled_reply(reply.id)

        cancelled = self.schedule("Never mind")
        session.cancel_scheduled_reply(cancelled.id)
        self.assertEqual(cancelled.state, "cancelled")
        self.make_due(cancelled)
        self.perform(self.jobs(cancelled))
        self.assertFalse(cancelled.message_id)
        self.assertEqual(len(self.session.message_ids.filtered("author_user_id")), 1)

    def test_who_may_schedule_and_change_it(self):
        # Another operator of the chat does not reply in this session.
        with self.assertRaises(AccessError):
            self.schedule(user=self.colleague)
        reply = self.schedule()
        # Nor may they change this one (they do not see the session).
        with self.assertRaises(AccessError):
            self.session.sudo(self.colleague).cancel_scheduled_reply(reply.id)
        # The session's operator may not change a supervisor's.
        lead_reply = self.schedule("From the lead", user=self.supervisor)
        with self.assertRaisesRegex(AccessError, "its author or a supervisor"):
            self.session.sudo(self.operator).cancel_scheduled_reply(lead_reply.id)
        # A supervisor of the chat may change anyone's.
        self.session.sudo(self.supervisor).edit_scheduled_reply(
            reply.id, "Edited by the lead", later(hours=3)
        )
        self.assertEqual(reply.body, "Edited by the lead")
        # Another session's reply is not reached through this one.
        self.telegram_update(self.connector, tg_update(2, "Me too", user_id=7002))
        other = self.messages("telegram").mapped("session_id") - self.session
        with self.assertRaisesRegex(UserError, "no such scheduled reply"):
            other.sudo(self.supervisor).cancel_scheduled_reply(reply.id)
        # Nobody reads the model itself over RPC.
        with self.assertRaises(AccessError):
            self.env["livechat.scheduled.reply"].sudo(self.supervisor).search([])

    def test_bad_input_gets_a_clear_error_and_stores_nothing(self):
        session = self.session.sudo(self.operator)
        for body, send_at, reason in [
            ("Hello", later(minutes=-5), "in the future"),
            ("Hello", later(days=400), "up to 365 days"),
            ("Hello", "tomorrow", "not a date"),
            ("Hello", None, "Choose when"),
            ("   ", later(hours=1), "Write the reply"),
            (["Hello"], later(hours=1), "Write the reply"),
        ]:
            with self.assertRaisesRegex(ValidationError, reason):
                session.schedule_reply(body, send_at)
        with self.assertRaisesRegex(ValidationError, "named by its id"):
            session.cancel_scheduled_reply("1")
        self.assertFalse(
            self.env["livechat.scheduled.reply"].search(
                [("session_id", "=", self.session.id)]
            )
        )

    def test_a_reply_whose_session_closed_is_not_sent_and_says_why(self):
        reply = self.schedule()
        self.session.sudo(self.operator).action_close()
        self.make_due(reply)
        self.perform(self.jobs(reply))
        self.assertEqual(
            (reply.state, reply.error), ("failed", "The session was closed.")
        )
        self.assertFalse(reply.message_id)
        data = (
            self.env["livechat.workspace"].sudo(self.operator).messages(self.session.id)
        )
        self.assertEqual([r["state"] for r in data["scheduled"]], ["failed"])
        # Dismissed by its author.
        self.session.sudo(self.operator).cancel_scheduled_reply(reply.id)
        self.assertEqual(reply.state, "cancelled")


class TestScheduledRace(CommittedChatCase):
    """Two runs of one due reply's job at once (two runners, or one retried
    while the first still runs), in real concurrent transactions: one
    reply."""

    def setUp(self):
        super(TestScheduledRace, self).setUp()
        self.operator_id = self.operator_ids[0]

        def create(env):
            chat = env["livechat.chat"].browse(self.chat_id)
            session = chat._receive_message(
                "messenger",
                {"external_id": self.tag, "name": self.tag},
                "Hi",
                external_id=self.tag,
            ).session_id
            session.sudo(self.operator_id).action_take()
            reply = env["livechat.scheduled.reply"].create(
                {
                    "session_id": session.id,
                    "user_id": self.operator_id,
                    "body": "At last",
                    "send_at": later(seconds=-1),
                }
            )
            return session.id, reply.id

        self.session_id, self.reply_id = run_with_retry(self.registry, create)

    def test_two_runs_of_the_job_at_once_send_one_reply(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def run():
            with odoo.api.Environment.manage(), self.registry.cursor() as cr:
                env = odoo.api.Environment(cr, self.operator_id, {})
                barrier.wait()
                try:
                    outcomes.append(
                        env["livechat.scheduled.reply"]
                        .browse(self.reply_id)
                        ._send_job()
                    )
                except psycopg2.extensions.TransactionRollbackError:
                    # queue_job runs it again 5 s later: it then finds it sent.
                    outcomes.append("serialization failure")

        threads = [threading.Thread(target=run) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(len(outcomes), 2)
        self.assertEqual(sum(o.startswith("Sent as") for o in outcomes), 1, outcomes)
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT count(*) FROM livechat_message
                   WHERE session_id = %s AND direction = 'out'""",
                (self.session_id,),
            )
            self.assertEqual(cr.fetchone()[0], 1)
