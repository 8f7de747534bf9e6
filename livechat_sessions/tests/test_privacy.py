# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's data on request: the export holds everything stored about
them; the erasure removes it, keeps the reports' figures, and is logged."""
import base64
import io
import json
import threading
import zipfile

from odoo.exceptions import AccessError, UserError

from ..models.livechat_account_privacy import ERASED_BODY, ERASED_NAME
from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase

PDF = b"%PDF-1.4 passport scan"


class TestPrivacy(LivechatCase):
    def setUp(self):
        super(TestPrivacy, self).setUp()
        self.chat_a.bind_model_ids = self.env.ref("base.model_res_partner")
        self.contact = self.env["res.partner"].create(
            {"name": "Ann Customer", "email": "ann@example.com", "phone": "+100"}
        )
        first = self.receive(
            "Here is my passport",
            account="ann",
            attachments=[{"name": "passport.pdf", "datas": base64.b64encode(PDF)}],
        )
        self.session = first.session_id
        self.account = self.session.account_id
        self.account.write(
            {"partner_id": self.contact.id, "image": base64.b64encode(b"GIF89a-ann")}
        )
        session = self.session.sudo(self.operator)
        if session.state == "queued":
            session.action_take()
        session.reply("Thanks Ann, checking")
        session.add_note("Ann is a VIP")
        self.binding = self.env["livechat.session.binding"].create(
            {
                "session_id": self.session.id,
                "res_model": "res.partner",
                "res_id": self.contact.id,
            }
        )
        session.action_close()
        # A later session of hers, still open, and another customer.
        self.open_session = self.receive("Me again", account="ann").session_id
        self.other = self.receive("I am Bob", account="bob", name="Bob")
        self.rule = self.env["livechat.blocklist.rule"].create(
            {"name": "Too many messages", "account_id": self.account.id}
        )
        # (The rule marked her open session spam: not what these tests are
        # about, and the reports leave spam out.)
        self.open_session.is_spam = False

    def read_zip(self, data):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, json.loads(archive.read("customer.json").decode())

    def report_figures(self):
        Operator = self.env["livechat.report.operator"]
        rows = Operator.search([("chat_id", "=", self.chat_a.id)])
        Chat = self.env["livechat.report.chat"]
        chats = Chat.search([("chat_id", "=", self.chat_a.id)])
        return (
            sum(rows.mapped("sessions_taken")),
            sum(rows.mapped("sessions_closed")),
            sum(rows.mapped("messages_sent")),
            sorted(r for r in rows.mapped("response_time") if r),
            sum(chats.mapped("sessions")),
        )

    def test_the_export_holds_everything_stored_about_the_customer(self):
        name, data = self.account.sudo(self.manager)._export_zip()
        self.assertTrue(name.endswith(".zip"))
        archive, customer = self.read_zip(data)
        [account] = customer["accounts"]
        self.assertEqual(account["channel_id"], "ann")
        self.assertEqual(account["contact"]["email"], "ann@example.com")
        self.assertEqual(archive.read(account["avatar"]), b"GIF89a-ann")
        self.assertEqual(
            [s["id"] for s in customer["sessions"]],
            [self.session.id, self.open_session.id],
        )
        first = customer["sessions"][0]
        self.assertEqual(
            [m["direction"] for m in first["messages"]], ["in", "out", "note"]
        )
        self.assertIn("VIP", first["messages"][2]["body_html"])
        self.assertEqual(
            first["records"], [{"model": "res.partner", "id": self.contact.id}]
        )
        [file_values] = first["messages"][0]["files"]
        self.assertEqual(file_values["name"], "passport.pdf")
        self.assertEqual(archive.read(file_values["file"]), PDF)
        # Nothing of another customer.
        self.assertNotIn("Bob", json.dumps(customer))
        [log] = self.env["livechat.privacy.log"].search([("kind", "=", "export")])
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(
            (log.account_count, log.session_count, log.message_count, log.file_count),
            (1, 2, 4, 2),
        )

    def test_the_erasure_removes_the_customer_and_keeps_the_figures(self):
        before = self.report_figures()
        passport = self.session.message_ids.mapped("attachment_ids")
        self.assertTrue(passport)
        action = self.account.sudo(self.manager).action_erase_customer()
        log = self.env["livechat.privacy.log"].browse(action["res_id"])
        self.assertEqual(
            (
                log.kind,
                log.user_id,
                log.account_count,
                log.session_count,
                log.message_count,
                log.file_count,
                log.closed_count,
            ),
            ("erasure", self.manager, 1, 2, 4, 2, 1),
        )
        account = self.account.with_context(active_test=False)
        self.assertEqual(account.name, ERASED_NAME)
        self.assertEqual(account.external_id, "erased-%d" % account.id)
        self.assertFalse(account.partner_id or account.image or account.active)
        self.assertFalse(passport.exists(), "files go")
        self.assertFalse(self.binding.exists(), "record links go")
        self.assertFalse(self.rule.exists(), "blocklist rules go")
        # What is left of the messages: the operators' replies, as facts.
        left = self.env["livechat.message"].search(
            [("session_id", "in", [self.session.id, self.open_session.id])]
        )
        self.assertEqual(set(left.mapped("direction")), {"out"})
        self.assertEqual(set(left.mapped("body")), {ERASED_BODY})
        for session in self.session | self.open_session:
            self.assertEqual(session.name, ERASED_NAME)
            self.assertEqual(session.state, "closed")
            self.assertFalse(session.partner_id)
            self.assertTrue(session.messages_deleted_date)
        self.assertEqual(self.session.operator_id, self.operator)
        self.assertTrue(self.session.first_response_time is not None)
        # The reports count what they counted (the open session now closed).
        after = self.report_figures()
        self.assertEqual(after[0], before[0])
        self.assertEqual(after[1], before[1] + 1)
        self.assertEqual(after[2:], before[2:])
        # The contact is the company's record: unlinked, not deleted.
        self.assertTrue(self.contact.exists())
        self.assertFalse(self.contact.livechat_account_ids)
        # The other customer is untouched.
        self.assertEqual(self.other.exists().body, "<p>I am Bob</p>")
        # Her next message opens a new account, not the erased one.
        again = self.receive("Hello again", account="ann")
        self.assertNotEqual(again.session_id.account_id, account)
        self.assertEqual(again.session_id.account_id.external_id, "ann")

    def test_a_reply_waiting_to_leave_never_leaves(self):
        session = self.open_session.sudo(self.operator)
        if session.state == "queued":
            session.action_take()
        reply = session.reply("On its way").sudo()
        reply.write({"delivery_state": "pending"})
        self.account.sudo(self.manager)._erase()
        self.assertEqual(reply.delivery_state, "failed")
        self.assertIn("erased", reply.delivery_error)
        self.assertEqual(reply.body, ERASED_BODY)

    def test_from_the_contact_every_account_at_once(self):
        second = self.receive("From my other phone", account="ann-2").session_id
        second.account_id.partner_id = self.contact
        self.contact.sudo(self.manager).action_livechat_erase()
        self.assertFalse(
            self.env["livechat.account"].search([("partner_id", "=", self.contact.id)])
        )
        self.assertEqual(second.name, ERASED_NAME)
        with self.assertRaisesRegex(UserError, "no live chat account"):
            self.contact.sudo(self.manager).action_livechat_export_data()

    def test_only_live_chat_administrators(self):
        for user in (self.supervisor, self.operator, self.reader, self.outsider):
            with self.assertRaises(AccessError, msg=user.login):
                self.account.sudo(user)._export_zip()
            with self.assertRaises(AccessError, msg=user.login):
                self.account.sudo(user).action_erase_customer()
            with self.assertRaises(AccessError, msg=user.login):
                self.account.sudo(user).action_export_data()
            with self.assertRaises(AccessError, msg=user.login):
                self.contact.sudo(user).action_livechat_erase()
            with self.assertRaises(AccessError, msg=user.login):
                self.env["livechat.privacy.log"].sudo(user).search([])
        self.assertEqual(self.account.name, "Ann")
        self.assertEqual(len(self.session.message_ids), 3)
        # Nobody edits the log, administrators included.
        log = self.account.sudo(self.manager)._erase()
        with self.assertRaises(AccessError):
            log.sudo(self.manager).write({"message_count": 0})
        with self.assertRaises(AccessError):
            log.sudo(self.manager).unlink()


class TestErasureRace(CommittedChatCase):
    """A message arriving while the customer is erased is neither lost nor
    kept under the erased account."""

    def receive(self, body, account="racer-ann"):
        return self.commit_message(account, body)

    def erase(self, account_id):
        def work(env):
            return env["livechat.account"].browse(account_id)._erase().id

        return run_with_retry(self.registry, work)

    def tearDown(self):
        def cleanup(env):
            # The erased accounts (archived) and the logs of this test.
            accounts = (
                env["livechat.account"]
                .with_context(active_test=False)
                .search([("session_ids.chat_id", "=", self.chat_id)])
            )
            env["livechat.privacy.log"].search(
                [("account_ids", "in", accounts.ids)]
            ).unlink()

        run_with_retry(self.registry, cleanup)
        super(TestErasureRace, self).tearDown()

    def account_of(self, message_id):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT a.id, a.external_id FROM livechat_message m
                   JOIN livechat_session s ON s.id = m.session_id
                   JOIN livechat_account a ON a.id = s.account_id
                   WHERE m.id = %s""",
                (message_id,),
            )
            return cr.fetchone()

    def wait_until_blocked(self, cr_holding):
        """Wait until another backend waits on a lock ``cr_holding``'s
        backend holds (no sleep-and-hope)."""
        cr_holding.execute("SELECT pg_backend_pid()")
        pid = cr_holding.fetchone()[0]
        with self.registry.cursor() as cr:
            for _i in range(6000):
                cr.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE %s = ANY(pg_blocking_pids(pid))",
                    (pid,),
                )
                if cr.fetchone()[0]:
                    return
                cr.execute("SELECT pg_sleep(0.01)")
        self.fail("nobody waited on the lock")

    def test_a_message_during_the_erasure_opens_a_new_account(self):
        first = self.receive("Hello")
        account_id = self.account_of(first)[0]
        results = {}
        # The erasure holds the account's row, uncommitted...
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, user=1)
            env["livechat.account"].browse(account_id)._erase()
            thread = threading.Thread(
                target=lambda: results.update(message=self.receive("Still there?"))
            )
            thread.start()
            # ...while the message waits on it; then the erasure commits.
            self.wait_until_blocked(cr)
            cr.commit()  # pylint: disable=invalid-commit
        thread.join(60)
        new_account, external_id = self.account_of(results["message"])
        self.assertNotEqual(new_account, account_id)
        self.assertEqual(external_id, "racer-ann")

    def test_a_message_committed_first_is_erased_with_the_rest(self):
        first = self.receive("Hello")
        account_id = self.account_of(first)[0]
        results = {}
        # A message of the customer holds the account's row, uncommitted...
        with self.registry.cursor() as cr:
            env = self.env(cr=cr, user=1)
            late = (
                env["livechat.chat"]
                .browse(self.chat_id)
                ._receive_message(
                    "messenger", {"external_id": "racer-ann", "name": "Ann"}, "Late"
                )
                .id
            )

            def erase():
                try:
                    results["log"] = self.erase(account_id)
                except Exception as error:  # pylint: disable=broad-except
                    # Asserted on below.
                    results["error"] = error

            thread = threading.Thread(target=erase)
            thread.start()
            # ...while the erasure waits on it; then the message commits.
            self.wait_until_blocked(cr)
            cr.commit()  # pylint: disable=invalid-commit
        thread.join(60)
        self.assertFalse(results.get("error"))
        self.assertTrue(results.get("log"), "the erasure ran again and finished")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM livechat_message WHERE id IN %s",
                ((first, late),),
            )
            self.assertEqual(cr.fetchone()[0], 0, "both messages were erased")
            cr.execute(
                "SELECT message_count FROM livechat_privacy_log WHERE id = %s",
                (results["log"],),
            )
            self.assertEqual(cr.fetchone()[0], 2)
