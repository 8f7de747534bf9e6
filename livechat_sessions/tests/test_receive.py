# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from unittest import mock

from odoo.exceptions import ValidationError

from ..engine import text
from ..models import bus_bus
from .common import LivechatCase


class TestReceive(LivechatCase):
    """The one way in: ``livechat.chat._receive_message``."""

    def test_first_message_creates_a_queued_named_session(self):
        self.chat_a.session_name_template = (
            '{customer} / {DateTime(created, "%Y-%m-%d")} / {chat}'
        )
        message = self.receive("Hi there", external_id="m1", date="2026-05-04 10:00:00")
        session = message.session_id
        self.assertEqual(session.state, "queued")
        self.assertEqual(session.chat_id, self.chat_a)
        self.assertEqual(session.channel, "messenger")
        self.assertEqual(session.name, "Ann / 2026-05-04 / Chat A")
        self.assertEqual(session.first_message_date, "2026-05-04 10:00:00")
        self.assertEqual(session.account_id.external_id, "tg-1")
        self.assertEqual(message.direction, "in")
        self.assertEqual(message.author_account_id, session.account_id)
        self.assertIn("Hi there", message.body)
        self.assertEqual(self.chat_a.queued_count, 1)

    def test_new_session_of_a_known_customer_is_named_after_their_contact(self):
        """The lock returns the account's contact: a customer bound to one
        since their last session gets a session named after the contact."""
        first = self.receive("first", external_id="c1")
        first.session_id.action_close()
        contact = self.env["res.partner"].create({"name": "Ann Contact"})
        first.author_account_id.partner_id = contact
        self.chat_a.session_name_template = "{customer} ({channel}) / {chat}"
        second = self.receive("again", external_id="c2")
        self.assertEqual(second.session_id.name, "Ann Contact (Messenger) / Chat A")
        # A customer's message has no Odoo user as its writer: its author is
        # the account (the way in runs as superuser).
        self.assertFalse(second.create_uid)
        self.assertEqual(second.author_account_id, first.author_account_id)

    def test_query_count_of_a_new_session(self):
        """A new customer's first message: lock (finds nothing), create the
        account in a savepoint, the chat's naming/rules/processes, the
        blocklist, the session, the message, the notification, the Inbox's
        (one statement): 10 queries; a known customer's new session: 7
        (once Odoo's defaults of accounts and sessions are in its cache)."""
        self.receive(account="tg-warm-up", external_id="q0")

        def queries_for(**kwargs):
            before = self.env.cr.sql_log_count
            with mock.patch.object(bus_bus.random, "random", return_value=0.5):
                message = self.receive(**kwargs)
            return message, self.env.cr.sql_log_count - before

        message, count = queries_for(account="tg-count", external_id="q1")
        self.assertEqual(message.session_id.state, "queued")
        self.assertEqual(count, 10)
        message.session_id.action_close()
        self.env["livechat.session"].invalidate_cache()
        again, count = queries_for(account="tg-count", external_id="q2")
        self.assertNotEqual(again.session_id, message.session_id)
        self.assertEqual(count, 7)

    def test_follow_up_goes_to_the_open_session(self):
        first = self.receive("one", date="2026-05-04 10:00:00")
        second = self.receive("two", date="2026-05-04 10:05:00")
        self.assertEqual(first.session_id, second.session_id)
        self.assertEqual(second.session_id.last_message_date, "2026-05-04 10:05:00")
        self.assertEqual(
            len(self.env["livechat.account"].search([("external_id", "=", "tg-1")])), 1
        )

    def test_out_of_order_delivery_keeps_the_dates_right(self):
        late = self.receive("later", date="2026-05-04 10:05:00")
        self.receive("earlier", date="2026-05-04 10:00:00")
        session = late.session_id
        self.assertEqual(session.first_message_date, "2026-05-04 10:00:00")
        self.assertEqual(session.last_message_date, "2026-05-04 10:05:00")
        self.assertEqual(
            session.message_ids.mapped("body"), ["<p>earlier</p>", "<p>later</p>"]
        )

    def test_same_account_in_another_chat_gets_its_own_session(self):
        a = self.receive("to A")
        b = self.receive("to B", chat=self.chat_b)
        self.assertNotEqual(a.session_id, b.session_id)
        self.assertEqual(a.session_id.account_id, b.session_id.account_id)

    def test_after_close_a_new_session_with_history(self):
        first = self.receive("first")
        first.session_id.action_close()
        second = self.receive("again")
        self.assertNotEqual(first.session_id, second.session_id)
        self.assertEqual(second.session_id.state, "queued")
        self.assertEqual(second.session_id.history_session_ids, first.session_id)

    def test_duplicate_external_id_returns_the_stored_message(self):
        first = self.receive("once", external_id="42")
        count = self.env["livechat.message"].search_count([])
        again = self.receive("once", external_id="42")
        self.assertEqual(first, again)
        self.assertEqual(self.env["livechat.message"].search_count([]), count)
        # The same id on another channel is another message.
        other = self.receive("once", external_id="42", channel="mailbox")
        self.assertNotEqual(other, first)

    def test_operators_and_supervisors_are_notified(self):
        message = self.receive("wake up")
        for user in (self.operator, self.operator2, self.supervisor):
            payloads = self.bus_payloads(user.partner_id)
            self.assertEqual([p["type"] for p in payloads], ["livechat.session_new"])
            self.assertEqual(payloads[0]["session_id"], message.session_id.id)
            self.assertEqual(payloads[0]["queued"], 1)
            self.assertEqual(payloads[0]["message"]["id"], message.id)
        for user in (self.reader, self.outsider, self.operator_b):
            self.assertFalse(self.bus_payloads(user.partner_id))

    def test_active_session_wakes_its_operator_and_supervisors_only(self):
        session = self.receive("hi").session_id
        session.sudo(self.operator).action_take()
        self.env.cr.execute("DELETE FROM bus_bus")
        message = self.receive("are you there?")
        payloads = self.bus_payloads(self.operator.partner_id)
        self.assertEqual([p["type"] for p in payloads], ["livechat.message"])
        # The follow-up's notification carries the stored message (its id is
        # written by the statement that stores it).
        self.assertEqual(payloads[0]["message"]["id"], message.id)
        self.assertEqual(payloads[0]["message"]["body"], message.body)
        self.assertEqual(payloads[0]["session_id"], session.id)
        self.assertTrue(self.bus_payloads(self.supervisor.partner_id))
        self.assertFalse(self.bus_payloads(self.operator2.partner_id))

    def test_old_notifications_are_collected_after_the_commit(self):
        self.receive("first")
        self.env.cr.execute(
            "UPDATE bus_bus SET create_date = create_date - interval '1 hour'"
        )
        hooks = []
        with mock.patch.object(
            bus_bus.random, "random", return_value=0.0
        ), mock.patch.object(
            type(self.env.cr),
            "after",
            lambda cr, event, func: hooks.append((event, func)),
        ):
            self.receive("second")
        # Nothing is deleted before the commit; the operators are woken
        # first, then the collection runs.
        self.env.cr.execute(
            "SELECT count(*) FROM bus_bus WHERE create_date < "
            "now() AT TIME ZONE 'UTC' - interval '30 minutes'"
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        self.assertEqual([event for event, _func in hooks], ["commit", "commit"])
        self.assertEqual(
            hooks[1][1].__func__, type(self.env["bus.bus"])._livechat_gc_after_commit
        )
        # What the hook runs in its own transaction, here in the test's.
        bus_bus.delete_old_notifications(self.env.cr)
        self.env.cr.execute(
            "SELECT count(*) FROM bus_bus WHERE create_date < "
            "now() AT TIME ZONE 'UTC' - interval '30 minutes'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertTrue(self.bus_payloads(self.operator.partner_id))

    def test_html_with_scripts_is_sanitized(self):
        message = self.receive(
            '<img src=x onerror="alert(1)"><b>bold</b>' "<script>steal()</script>",
            body_type="html",
        )
        self.assertIn("<b>bold</b>", message.body)
        for bad in ("onerror", "<script", "steal()"):
            self.assertNotIn(bad, message.body)
        plain = self.receive("<script>alert(1)</script>", account="tg-2")
        self.assertNotIn("<script", plain.body)

    def test_bad_input_is_refused_and_nothing_is_stored(self):
        before = (
            self.env["livechat.message"].search_count([]),
            self.env["livechat.session"].search_count([]),
            self.env["livechat.account"].search_count([]),
        )
        cases = [
            dict(body=""),
            dict(body="   "),
            dict(body="x" * (text.MAX_BODY_LENGTH + 1)),
            dict(body="<script>x()</script>", body_type="html"),
            dict(chat=self.env["livechat.chat"].browse(987654)),
            dict(channel="carrier-pigeon"),
            dict(attachments=[{"name": "a.txt", "datas": "not base64!"}]),
            dict(attachments=[{"datas": base64.b64encode(b"x")}]),
        ]
        for kwargs in cases:
            with self.assertRaises(ValidationError, msg=str(kwargs)[:80]):
                self.receive(**dict({"body": "ok"}, **kwargs))
        with self.assertRaises(ValidationError):
            self.chat_a._receive_message("messenger", {"external_id": ""}, "hi")
        with self.assertRaises(ValidationError):
            self.env["livechat.message"]._receive(
                987654, "messenger", {"external_id": "x"}, "hi"
            )
        self.chat_b.active = False
        with self.assertRaises(ValidationError):
            self.receive(chat=self.chat_b)
        after = (
            self.env["livechat.message"].search_count([]),
            self.env["livechat.session"].search_count([]),
            self.env["livechat.account"].search_count([]),
        )
        self.assertEqual(before, after)

    def test_attachments_are_kept(self):
        data = base64.b64encode(b"%PDF-1.4 invoice")
        message = self.receive(
            "see attached",
            attachments=[
                {"name": "invoice.pdf", "datas": data, "mimetype": "application/pdf"}
            ],
        )
        self.assertEqual(message.attachment_ids.mapped("name"), ["invoice.pdf"])
        self.assertEqual(message.attachment_ids.res_model, "livechat.message")
        self.assertEqual(message.attachment_ids.res_id, message.id)
        self.assertEqual(
            base64.b64decode(message.attachment_ids.datas), b"%PDF-1.4 invoice"
        )

    def test_spam_session_stays_quiet(self):
        session = self.receive("buy now").session_id
        session.action_mark_spam()
        self.env.cr.execute("DELETE FROM bus_bus")
        message = self.receive("buy NOW")
        self.assertEqual(message.session_id, session)
        self.assertFalse(self.bus_payloads(self.operator.partner_id))
        self.assertEqual(self.chat_a.queued_count, 0)

    def test_query_count_does_not_grow_with_stored_messages(self):
        """The way in costs a fixed number of queries (bench/ measures it at
        scale); here: the same count with 5 or 200 messages stored."""
        self.receive("warm up", external_id="w0")

        def queries_for(external_id):
            self.env["livechat.session"].invalidate_cache()
            before = self.env.cr.sql_log_count
            # Like bus.bus, the way in cleans old notifications on 1% of its
            # calls: keep that dice roll out of this count.
            with mock.patch.object(bus_bus.random, "random", return_value=0.5):
                self.receive("follow-up", external_id=external_id)
            return self.env.cr.sql_log_count - before

        for i in range(4):
            self.receive("m", external_id="a%d" % i)
        small = queries_for("probe-1")
        for i in range(200):
            self.receive("m", external_id="b%d" % i)
        large = queries_for("probe-2")
        self.assertEqual(small, large)
        # Lock the account and read chat, session and duplicate; store the
        # message, widen the session's dates and write the notifications.
        self.assertEqual(large, 2)
