# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One customer, one timeline: a contact's sessions on all their accounts
and chats in one conversation, as far as the caller may read them, and a
reply through any of their accounts."""
import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase


class TestTimeline(LivechatCase):
    def setUp(self):
        super(TestTimeline, self).setUp()
        self.ann = self.env["res.partner"].create({"name": "Ann Contact"})
        # Ann wrote on the messenger to chat A (a closed session and the
        # current one), from her mailbox to chat A and to chat B.
        old = self.receive("My first question").session_id
        self.take(old)
        old.sudo(self.operator).action_close()
        self.current = self.receive("Where is my order?").session_id
        self.take(self.current)
        self.messenger = self.current.account_id
        self.mail_a = self.receive(
            "Order 42 by email", channel="mailbox", account="ann@example.com"
        )
        self.mailbox = self.mail_a.session_id.account_id
        self.mail_b = self.receive(
            "A sales question",
            chat=self.chat_b,
            channel="mailbox",
            account="ann@example.com",
        )
        (self.messenger | self.mailbox).write({"partner_id": self.ann.id})
        # Someone else, in the same chat: never in Ann's timeline.
        self.other = self.receive("Not Ann", account="tg-2", name="Bob")
        self.Conversation = self.env["livechat.workspace"]

    def take(self, session):
        """Oscar's (routing may have given it to him already)."""
        if session.operator_id != self.operator:
            session.sudo(self.operator).action_take()
        self.assertEqual(session.operator_id, self.operator)

    def bodies(self, user, timeline, session=None):
        data = self.Conversation.sudo(user).messages(
            (session or self.current).id, timeline=timeline
        )
        return [m["body"] for m in data["messages"]], data

    def test_without_the_timeline_the_history_is_this_chat_and_account(self):
        bodies, data = self.bodies(self.operator, False)
        self.assertEqual(
            bodies, ["<p>My first question</p>", "<p>Where is my order?</p>"]
        )
        # The switch shows: Ann has sessions the history leaves out.
        self.assertTrue(data["session"]["timeline_available"])
        self.assertFalse(data["timeline"])

    def test_the_timeline_gathers_what_the_caller_may_read(self):
        bodies, data = self.bodies(self.operator, True)
        # Chat A's mailbox session (its queue) is Oscar's to read; chat B's
        # is not: he has no role there. Bob's messages are not Ann's.
        self.assertEqual(
            bodies,
            [
                "<p>My first question</p>",
                "<p>Where is my order?</p>",
                "<p>Order 42 by email</p>",
            ],
        )
        self.assertEqual(
            set(data["timeline_session_ids"]),
            {self.current.id, self.mail_a.session_id.id},
        )
        # A manager reads every chat: all of it, in time order.
        bodies, _data = self.bodies(self.manager, True)
        self.assertEqual(
            bodies,
            [
                "<p>My first question</p>",
                "<p>Where is my order?</p>",
                "<p>Order 42 by email</p>",
                "<p>A sales question</p>",
            ],
        )
        # Spam stays out, as everywhere else.
        self.mail_b.session_id.action_mark_spam()
        bodies, _data = self.bodies(self.manager, True)
        self.assertNotIn("<p>A sales question</p>", bodies)

    def test_an_account_without_a_contact_is_its_own_timeline(self):
        self.messenger.write({"partner_id": False})
        bodies, data = self.bodies(self.manager, True)
        self.assertEqual(
            bodies, ["<p>My first question</p>", "<p>Where is my order?</p>"]
        )
        self.assertFalse(data["session"]["timeline_available"])

    def test_search_and_pages_follow_the_timeline(self):
        found = self.Conversation.sudo(self.operator).find_messages(
            self.current.id, "order", timeline=True
        )
        self.assertEqual(len(found["hits"]), 2)
        found = self.Conversation.sudo(self.operator).find_messages(
            self.current.id, "order"
        )
        self.assertEqual(len(found["hits"]), 1)
        page = self.Conversation.sudo(self.operator).messages(
            self.current.id, limit=1, timeline=True
        )
        self.assertTrue(page["has_more"])
        earlier = self.Conversation.sudo(self.operator).messages(
            self.current.id,
            before_id=page["messages"][0]["id"],
            limit=5,
            timeline=True,
        )
        self.assertEqual(len(earlier["messages"]), 2)

    def test_bad_input_and_callers_without_a_role_in_the_chat(self):
        with self.assertRaises(ValidationError):
            self.Conversation.sudo(self.operator).messages(
                self.current.id, timeline="yes"
            )
        with self.assertRaises(AccessError):
            self.Conversation.sudo(self.outsider).messages(
                self.current.id, timeline=True
            )
        with self.assertRaises(AccessError):
            self.Conversation.sudo(self.operator_b).messages(
                self.current.id, timeline=True
            )

    def test_reply_channels(self):
        routes = self.Conversation.sudo(self.operator).reply_channels(self.current.id)
        by_account = {r["account_id"]: r for r in routes}
        self.assertEqual(routes[0]["account_id"], self.messenger.id)
        self.assertTrue(routes[0]["current"])
        mailbox = by_account[self.mailbox.id]
        # Chat A's open mailbox session (queued): replying takes it.
        self.assertEqual(
            (mailbox["chat"], mailbox["session_id"], mailbox["reason"]),
            ("Chat A", self.mail_a.session_id.id, False),
        )
        # An Offline operator is told why not.
        self.operator.livechat_status = "offline"
        routes = self.Conversation.sudo(self.operator).reply_channels(self.current.id)
        self.assertTrue(all(r["reason"] for r in routes))

    def test_an_account_only_another_chat_knows_is_not_offered(self):
        # Ann's WhatsApp wrote to chat B only: chat A's operator neither
        # sees it offered nor replies through it.
        whatsapp = self.receive(
            "Hola", chat=self.chat_b, channel="messenger", account="ann-wa"
        ).session_id.account_id
        whatsapp.partner_id = self.ann
        routes = self.Conversation.sudo(self.operator).reply_channels(self.current.id)
        self.assertNotIn(whatsapp.id, [r["account_id"] for r in routes])
        with self.assertRaises(ValidationError):
            self.Conversation.sudo(self.operator).reply(
                self.current.id, "Hi", via_account_id=whatsapp.id
            )
        routes = self.Conversation.sudo(self.manager).reply_channels(self.current.id)
        self.assertIn(whatsapp.id, [r["account_id"] for r in routes])

    def test_a_reply_via_another_account_joins_its_open_session(self):
        row = self.Conversation.sudo(self.operator).reply(
            self.current.id, "Your order left today", via_account_id=self.mailbox.id
        )
        session = self.mail_a.session_id
        self.assertEqual(row["session_id"], session.id)
        self.assertEqual(row["channel"], "mailbox")
        # Taken by the reply, as any reply takes a queued session.
        self.assertEqual(
            (session.state, session.operator_id), ("active", self.operator)
        )
        reply = session.message_ids.filtered(lambda m: m.direction == "out")
        self.assertEqual(reply.body, "<p>Your order left today</p>")
        self.assertFalse(
            self.current.message_ids.filtered(lambda m: m.direction == "out")
        )
        # And it shows in place in the timeline.
        bodies, _data = self.bodies(self.operator, True)
        self.assertEqual(bodies[-1], "<p>Your order left today</p>")

    def test_a_reply_via_another_account_opens_a_session_when_none_is_open(self):
        self.take(self.mail_a.session_id)
        self.mail_a.session_id.sudo(self.operator).action_close()
        quoted = self.current.message_ids[:1]
        row = self.Conversation.sudo(self.operator).reply(
            self.current.id,
            "Answering by email",
            via_account_id=self.mailbox.id,
            quote_id=quoted.id,
        )
        session = self.env["livechat.session"].browse(row["session_id"])
        self.assertNotIn(session, self.current | self.mail_a.session_id)
        self.assertEqual(
            (session.chat_id, session.account_id, session.state, session.operator_id),
            (self.chat_a, self.mailbox, "active", self.operator),
        )
        self.assertEqual(row["quote"]["id"], quoted.id)

    def test_replies_via_are_refused_clearly(self):
        as_op = self.Conversation.sudo(self.operator)
        # Bob's account is not Ann's.
        with self.assertRaises(ValidationError):
            as_op.reply(
                self.current.id,
                "Hi",
                via_account_id=self.other.session_id.account_id.id,
            )
        with self.assertRaises(ValidationError):
            as_op.reply(self.current.id, "Hi", via_account_id="x")
        with self.assertRaises(ValidationError):
            as_op.reply(self.current.id, "  ", via_account_id=self.mailbox.id)
        # Chat B's message is not Oscar's to read, nor to quote.
        with self.assertRaises(ValidationError):
            as_op.reply(
                self.current.id,
                "Hi",
                via_account_id=self.mailbox.id,
                quote_id=self.mail_b.id,
            )
        # A reader reads the timeline but replies through nothing.
        with self.assertRaises(UserError):
            self.Conversation.sudo(self.reader).reply(
                self.current.id, "Hi", via_account_id=self.mailbox.id
            )
        routes = self.Conversation.sudo(self.reader).reply_channels(self.current.id)
        self.assertTrue(all(r["reason"] for r in routes))
        self.assertFalse(
            self.mail_a.session_id.message_ids.filtered(lambda m: m.direction == "out")
        )


class TestTimelineRace(CommittedChatCase):
    """Two operators reply through the same account of a customer, from
    two sessions, at the same moment: one session is opened for it, the
    other operator is told it is a colleague's (no duplicate session, no
    database error)."""

    def tearDown(self):
        def cleanup(env):
            accounts = env["livechat.account"].search(
                [("partner_id.name", "=", "Racer contact %s" % self.tag)]
            )
            sessions = env["livechat.session"].search(
                [("account_id", "in", accounts.ids)]
            )
            sessions.unlink()
            partner = accounts.mapped("partner_id")
            accounts.unlink()
            partner.unlink()

        run_with_retry(self.registry, cleanup)
        super(TestTimelineRace, self).tearDown()

    def test_two_replies_via_one_account_at_once(self):
        first = self.commit_message("racer-tl1-%s" % self.tag, "Hello")
        second = self.commit_message("racer-tl2-%s" % self.tag, "Hello again")

        def setup(env):
            Message = env["livechat.message"]
            partner = env["res.partner"].create({"name": "Racer contact %s" % self.tag})
            mailbox = env["livechat.account"].create(
                {
                    "name": "Racer mailbox",
                    "channel": "mailbox",
                    "external_id": "racer-%s@example.com" % self.tag,
                    "partner_id": partner.id,
                }
            )
            # It wrote to the chat once: its customer is the team's to know.
            env["livechat.session"].create(
                {"chat_id": self.chat_id, "account_id": mailbox.id, "state": "closed"}
            )
            sessions = []
            for message_id, uid in zip((first, second), self.operator_ids):
                session = Message.browse(message_id).session_id
                session.account_id.partner_id = partner
                session.sudo(uid).action_take()
                sessions.append(session.id)
            return sessions, mailbox.id

        sessions, mailbox_id = run_with_retry(self.registry, setup)

        def reply_from(session_id, uid):
            def work(env):
                env = env(user=uid)
                return env["livechat.workspace"].reply(
                    session_id, "From %d" % uid, via_account_id=mailbox_id
                )["session_id"]

            return work

        results = self.race(
            reply_from(sessions[0], self.operator_ids[0]),
            reply_from(sessions[1], self.operator_ids[1]),
        )
        opened = [r for r in results if isinstance(r, int)]
        refused = [r for r in results if not isinstance(r, int)]
        self.assertEqual(len(opened), 1, results)
        [refusal] = refused
        self.assertIsInstance(refusal, UserError)
        self.assertNotIsInstance(refusal, psycopg2.Error)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM livechat_session WHERE account_id = %s"
                " AND state <> 'closed'",
                (mailbox_id,),
            )
            self.assertEqual(cr.fetchone()[0], 1, "one session opened for it")
            cr.execute(
                "SELECT count(*) FROM livechat_message m JOIN livechat_session s"
                " ON s.id = m.session_id WHERE s.account_id = %s",
                (mailbox_id,),
            )
            self.assertEqual(cr.fetchone()[0], 1, "one reply sent through it")
