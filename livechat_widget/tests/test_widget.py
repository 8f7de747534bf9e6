# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.livechat_sessions.tests.common import LivechatCase


class TestWidget(LivechatCase):
    """The widget's server side, as each role calls it over RPC."""

    @classmethod
    def setUpClass(cls):
        super(TestWidget, cls).setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Nina Customer"})
        partner_model = cls.env.ref("base.model_res_partner")
        (cls.chat_a | cls.chat_b).write({"bind_model_ids": [(6, 0, partner_model.ids)]})
        # Nina wrote to chat A before (closed, handled by the operator), and
        # again now (queued); and to chat B, from the same Telegram account.
        cls.first = cls._write("Where is my order?").session_id
        cls.first.sudo(cls.operator).reply("Checking, one moment.")
        cls.first.sudo(cls.operator).action_close()
        cls.current = cls._write("Still waiting!").session_id
        cls.other_chat = cls._write("Hello B", cls.chat_b).session_id
        cls.account = cls.current.account_id
        cls.account.partner_id = cls.partner
        cls.Widget = cls.env["livechat.widget"]

    @classmethod
    def _write(cls, body, chat=None):
        """Nina writes from Telegram."""
        return (chat or cls.chat_a)._receive_message(
            "telegram", {"external_id": "tg-nina", "name": "Nina"}, body
        )

    def load(
        self, user, mode="account", path="livechat_account_ids", record=None, **kwargs
    ):
        record = record or self.partner
        return self.Widget.sudo(user).load(
            record._name, record.id, mode, path, **kwargs
        )

    def ids(self, data):
        return [s["id"] for s in data["sessions"]]

    # Who sees what ------------------------------------------------------------

    def test_by_account_per_role(self):
        data = self.load(self.operator)
        self.assertEqual(self.ids(data), [self.current.id])  # the queue
        self.assertEqual(data["archive_count"], 1)  # their own closed one
        self.assertTrue(data["can_start"])
        # Another operator of chat A: the queue, not the first operator's
        # closed session.
        data = self.load(self.operator2)
        self.assertEqual(self.ids(data), [self.current.id])
        self.assertEqual(data["archive_count"], 0)
        for user in (self.supervisor, self.reader):
            data = self.load(user)
            self.assertEqual(self.ids(data), [self.current.id], user.login)
            self.assertEqual(data["archive_count"], 1, user.login)
            archive = self.load(user, archive=True)
            self.assertEqual(self.ids(archive), [self.first.id])
        self.assertFalse(self.load(self.reader)["can_start"])
        # Chat B's operator sees only chat B's session of the same contact.
        self.assertEqual(self.ids(self.load(self.operator_b)), [self.other_chat.id])
        # Administrators see all of them.
        self.assertEqual(
            set(self.ids(self.load(self.manager))),
            {self.current.id, self.other_chat.id},
        )

    def test_outsider_gets_the_reason_and_no_data(self):
        data = self.load(self.outsider)
        self.assertFalse(data["access"])
        self.assertIn("Ask your administrator", data["reason"])
        self.assertNotIn("sessions", data)
        Widget = self.Widget.sudo(self.outsider)
        with self.assertRaises(AccessError):
            Widget.messages(self.current.id)
        with self.assertRaises(AccessError):
            Widget.reply(self.current.id, "hi")
        with self.assertRaises(AccessError):
            Widget.new_session_options(
                "res.partner", self.partner.id, "account", "livechat_account_ids"
            )

    def test_bad_input_gets_a_clear_error(self):
        Widget = self.Widget.sudo(self.supervisor)
        for bad in ("x", -3, [1], {"id": 1}):
            with self.assertRaisesRegex(ValidationError, "Invalid"):
                Widget.messages(bad)
            with self.assertRaisesRegex(ValidationError, "Invalid"):
                Widget.load("res.partner", bad, "account", "livechat_account_ids")
        with self.assertRaisesRegex(ValidationError, "does not exist"):
            Widget.messages(10**9)
        with self.assertRaisesRegex(ValidationError, "Unknown model"):
            Widget.load("no.such.model", 1, "item", "")
        with self.assertRaisesRegex(ValidationError, "By account, choose"):
            Widget.load("res.partner", self.partner.id, "account", "name")

    def test_session_of_another_chat_is_refused(self):
        with self.assertRaises(AccessError):
            self.Widget.sudo(self.operator).messages(self.other_chat.id)
        with self.assertRaises(AccessError):
            self.Widget.sudo(self.reader).messages(self.other_chat.id)

    def test_unreadable_record_is_refused(self):
        company_partner = self.env["res.partner"].create({"name": "Private"})
        self.env["ir.rule"].create(
            {
                "name": "hide Private",
                "model_id": self.env.ref("base.model_res_partner").id,
                "domain_force": "[('id', '!=', %d)]" % company_partner.id,
            }
        )
        with self.assertRaises(AccessError):
            self.load(self.supervisor, record=company_partner)

    def test_by_app_item(self):
        self.env["livechat.session.binding"].create(
            {
                "session_id": self.first.id,
                "res_model": "res.partner",
                "res_id": self.partner.id,
            }
        )
        data = self.load(self.supervisor, mode="item", path="")
        self.assertEqual(self.ids(data), [])
        self.assertEqual(
            self.ids(self.load(self.supervisor, mode="item", path="", archive=True)),
            [self.first.id],
        )
        # Through a Many2one: a user's form showing its partner's sessions.
        user = self.env["res.users"].create(
            {"name": "Nina", "login": "nina", "partner_id": self.partner.id}
        )
        data = self.load(
            self.supervisor, mode="item", path="partner_id", record=user, archive=True
        )
        self.assertEqual(self.ids(data), [self.first.id])
        # The reader of chat A sees it; chat B's operator does not.
        self.assertEqual(
            self.load(self.reader, mode="item", path="", archive=True)["archive_count"],
            1,
        )
        self.assertEqual(
            self.load(self.operator_b, mode="item", path="", archive=True)[
                "archive_count"
            ],
            0,
        )

    # Conversation -------------------------------------------------------------

    def test_history_above_the_session(self):
        data = self.Widget.sudo(self.reader).messages(self.current.id)
        bodies = [m["body"] for m in data["messages"]]
        self.assertEqual(len(bodies), 3)
        self.assertIn("Where is my order?", bodies[0])
        self.assertIn("Checking", bodies[1])
        self.assertIn("Still waiting!", bodies[2])
        self.assertEqual(
            [m["session_id"] for m in data["messages"]],
            [self.first.id, self.first.id, self.current.id],
        )
        self.assertFalse(data["has_more"])
        self.assertFalse(data["session"]["can_reply"])
        self.assertTrue(data["session"]["reply_reason"])
        # Chat B's session is not history of chat A's.
        self.assertNotIn(
            self.other_chat.id, [m["session_id"] for m in data["messages"]]
        )

    def test_opening_a_session_marks_it_seen(self):
        Widget = self.Widget.sudo(self.reader)
        unread = self.load(self.reader)["sessions"][0]["unread_count"]
        self.assertEqual(unread, 1)
        Widget.messages(self.current.id)  # the form loading: not a click
        self.assertEqual(self.load(self.reader)["sessions"][0]["unread_count"], 1)
        Widget.messages(self.current.id, mark_seen=True)
        self.assertEqual(self.load(self.reader)["sessions"][0]["unread_count"], 0)
        # Per user: the supervisor has still not seen it.
        self.assertEqual(self.load(self.supervisor)["sessions"][0]["unread_count"], 1)

    def test_operator2_reads_the_history_of_a_session_they_may_take(self):
        """The first session is the first operator's, yet whoever may read
        the customer's current session reads its history too."""
        data = self.Widget.sudo(self.operator2).messages(self.current.id)
        self.assertEqual(len(data["messages"]), 3)
        self.assertTrue(data["session"]["can_reply"])  # replying takes it

    def test_pages_cost_the_same_queries_whatever_the_history(self):
        def page_queries():
            # Once to warm Odoo's caches (rules, groups), then counted.
            self.Widget.sudo(self.supervisor).messages(self.current.id, limit=5)
            self.env["livechat.session"].invalidate_cache()  # every model
            cr = self.env.cr
            before = cr.sql_log_count
            data = self.Widget.sudo(self.supervisor).messages(self.current.id, limit=5)
            return cr.sql_log_count - before, data

        # Pages of the same shape (five customer messages), over a short and
        # a long history.
        for i in range(6):
            self._write("more %d" % i)
        small, data = page_queries()
        self.assertTrue(data["has_more"])
        for i in range(40):
            self._write("even more %d" % i)
        large, data = page_queries()
        self.assertEqual(len(data["messages"]), 5)
        self.assertEqual(small, large)
        # The next page continues where the first stopped, without overlap.
        first_ids = [m["id"] for m in data["messages"]]
        older = self.Widget.sudo(self.supervisor).messages(
            self.current.id, before_id=first_ids[0], limit=5
        )
        self.assertTrue(max(m["id"] for m in older["messages"]) < first_ids[0])

    def test_load_costs_the_same_queries_whatever_the_sessions(self):
        def load_queries():
            self.load(self.supervisor, archive=True)  # warms Odoo's caches
            self.env["livechat.session"].invalidate_cache()  # every model
            before = self.env.cr.sql_log_count
            self.load(self.supervisor, archive=True)
            return self.env.cr.sql_log_count - before

        def close_sessions(count):
            for i in range(count):
                self._write("again %d" % i).session_id.action_close()

        # A full page (20 of 26 closed sessions), then a full page of 86.
        close_sessions(25)
        few = load_queries()
        data = self.load(self.supervisor, archive=True)
        self.assertEqual(len(data["sessions"]), data["page_size"])
        self.assertEqual(data["archive_count"], 26)
        more = self.load(self.supervisor, archive=True, offset=data["page_size"])
        self.assertEqual(len(more["sessions"]), 26 - data["page_size"])
        close_sessions(60)
        self.assertEqual(load_queries(), few)
        self.assertEqual(self.load(self.supervisor, archive=True)["archive_count"], 86)

    # Replying -----------------------------------------------------------------

    def test_responsible_operator_replies_with_quote_and_attachment(self):
        self.current.sudo(self.operator).action_take()
        customer = self.current.message_ids.filtered(lambda m: m.direction == "in")
        attachment = (
            self.env["ir.attachment"]
            .sudo(self.operator)
            .create(
                {
                    "name": "label.txt",
                    "datas_fname": "label.txt",
                    "datas": base64.b64encode(b"parcel label"),
                    "res_model": "livechat.session",
                    "res_id": self.current.id,
                }
            )
        )
        message = self.Widget.sudo(self.operator).reply(
            self.current.id,
            "Here is your label",
            attachment_ids=[attachment.id],
            quote_id=customer[0].id,
        )
        self.assertEqual(message["direction"], "out")
        self.assertEqual(message["quote"]["id"], customer[0].id)
        self.assertEqual([a["id"] for a in message["attachments"]], [attachment.id])
        stored = self.env["livechat.message"].browse(message["id"])
        self.assertEqual(stored.author_user_id, self.operator)
        # The reader can download it: it follows the message.
        attachment.sudo(self.reader).check("read")

    def test_others_cannot_reply(self):
        self.current.sudo(self.operator).action_take()
        with self.assertRaises(AccessError):
            self.Widget.sudo(self.operator2).reply(self.current.id, "Me too")
        with self.assertRaises(AccessError):
            self.Widget.sudo(self.reader).reply(self.current.id, "I read")
        data = self.Widget.sudo(self.reader).messages(self.current.id)
        self.assertFalse(data["session"]["can_reply"])
        self.operator.livechat_status = "offline"
        with self.assertRaises(UserError):
            self.Widget.sudo(self.operator).reply(self.current.id, "Offline")
        self.assertFalse(
            self.Widget.sudo(self.operator).messages(self.current.id)["session"][
                "can_reply"
            ]
        )
        self.assertEqual(len(self.current.message_ids), 1)

    # New session ------------------------------------------------------------

    def test_new_session_by_item_is_bound(self):
        email = self.env["livechat.account"].create(
            {
                "name": "nina@example.com",
                "channel": "email",
                "external_id": "nina@example.com",
                "partner_id": self.partner.id,
            }
        )
        Widget = self.Widget.sudo(self.operator)
        options = Widget.new_session_options("res.partner", self.partner.id, "item", "")
        self.assertEqual([c["id"] for c in options["chats"]], [self.chat_a.id])
        offered = [a["id"] for c in options["contacts"] for a in c["accounts"]]
        self.assertIn(email.id, offered)
        session_id = Widget.new_session(
            "res.partner",
            self.partner.id,
            "item",
            "",
            self.chat_a.id,
            email.id,
            "Your quote",
        )
        session = self.env["livechat.session"].browse(session_id)
        self.assertEqual(session.state, "active")
        self.assertEqual(session.operator_id, self.operator)
        self.assertEqual(session.binding_ids.res_id, self.partner.id)
        self.assertIn("Your quote", session.message_ids.body)
        self.assertIn(
            session_id, self.ids(self.load(self.operator, mode="item", path=""))
        )

    def test_new_session_refusals(self):
        stranger = self.env["livechat.account"].create(
            {"name": "x", "channel": "email", "external_id": "x@example.com"}
        )
        Widget = self.Widget.sudo(self.operator)
        args = ("res.partner", self.partner.id, "account", "livechat_account_ids")
        with self.assertRaises(ValidationError):  # not the record's account
            Widget.new_session(*args + (self.chat_a.id, stranger.id, "Hi"))
        with self.assertRaises(UserError):  # already an open session there
            Widget.new_session(*args + (self.chat_a.id, self.account.id, "Hi"))
        with self.assertRaises(ValidationError):
            Widget.new_session(*args + (self.chat_a.id, self.account.id, "  "))
        with self.assertRaises(AccessError):  # not an operator of chat B
            Widget.new_session(*args + (self.chat_b.id, self.account.id, "Hi"))
        with self.assertRaises(AccessError):  # readers read only
            self.Widget.sudo(self.reader).new_session(
                *args + (self.chat_a.id, self.account.id, "Hi")
            )
        self.assertEqual(
            self.env["livechat.session"].search_count(
                [("account_id", "=", self.account.id)]
            ),
            3,
        )
