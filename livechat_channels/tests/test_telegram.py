# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Telegram end to end: webhook over Odoo's HTTP server, replies through the
delivery queue to a local server speaking the Bot API."""

import base64

from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from .common import ChannelCase
from .fake_providers import FakeTelegram
from .test_engine import tg_update

TOKEN = "123:TEST-token"


class TestTelegram(ChannelCase):

    def setUp(self):
        super(TestTelegram, self).setUp()
        self.bot = FakeTelegram(TOKEN)
        self.addCleanup(self.bot.stop)
        self.connector = self.env["livechat.connector.telegram"].create(
            {
                "name": "Support bot",
                "chat_id": self.chat.id,
                "bot_token": TOKEN,
                "api_url": self.bot.url,
            }
        )
        self.connector.action_connect()

    def send_update(self, update, secret=None):
        return self.post_json(
            self.connector._webhook_path(),
            update,
            headers={
                "X-Telegram-Bot-Api-Secret-Token": (
                    self.connector.webhook_secret if secret is None else secret
                )
            },
        )

    # Administration --------------------------------------------------------

    def test_connect_registers_the_webhook_with_its_secret(self):
        self.assertEqual(self.connector.state, "connected")
        self.assertTrue(
            self.bot.webhook["url"].endswith(self.connector._webhook_path())
        )
        self.assertEqual(
            self.bot.webhook["secret_token"], self.connector.webhook_secret
        )
        # The secret is not the address's key: addresses are logged.
        self.assertNotEqual(self.connector.webhook_secret, self.connector.webhook_key)
        self.assertNotIn(self.connector.webhook_secret, self.bot.webhook["url"])
        self.assertGreaterEqual(len(self.connector.webhook_secret), 32)
        self.assertEqual(
            self.bot.webhook["allowed_updates"], ["message", "callback_query"]
        )
        self.assertEqual(self.connector.bot_username, "support_bot")
        self.connector.action_test()
        self.assertIn("@support_bot", self.connector.last_check)
        self.connector.action_disconnect()
        self.assertIsNone(self.bot.webhook)
        self.assertEqual(self.connector.state, "disconnected")

    def test_a_wrong_token_says_what_telegram_answered(self):
        self.connector.bot_token = "123:wrong"
        with self.assertRaisesRegex(Exception, "Unauthorized"):
            self.connector.action_test()

    # In ----------------------------------------------------------------------

    def test_update_becomes_a_queued_session_once(self):
        response = self.send_update(tg_update(1, "Where is my parcel?"))
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.messages("telegram")
        self.assertEqual(message.body, "<p>Where is my parcel?</p>")
        self.assertEqual(message.author_account_id.name, "Tania Gram")
        self.assertEqual(message.author_account_id.external_id, "7001")
        self.assertEqual(message.session_id.state, "queued")
        self.assertEqual(message.date, "2023-11-14 22:13:21")
        self.assertTrue(self.connector.last_received_date)
        # Telegram delivers again when it missed our answer: stored once.
        self.assertEqual(
            self.send_update(tg_update(1, "Where is my parcel?")).status_code, 200
        )
        self.assertEqual(len(self.messages("telegram")), 1)

    def test_updates_out_of_order_are_ordered_by_telegram_time(self):
        self.send_update(tg_update(11, "second"))
        self.send_update(tg_update(10, "first"))
        session = self.messages("telegram").mapped("session_id")
        self.assertEqual(len(session), 1)
        bodies = (
            self.env["livechat.message"]
            .search([("session_id", "=", session.id)])
            .mapped("body")
        )
        self.assertEqual(bodies, ["<p>first</p>", "<p>second</p>"])

    def test_wrong_secret_unknown_bot_and_disconnected_bot_store_nothing(self):
        self.assertEqual(
            self.send_update(tg_update(1), secret="guess").status_code, 403
        )
        self.assertEqual(self.send_update(tg_update(1), secret="").status_code, 403)
        # The address's key (in every logged request line) is no secret.
        self.assertEqual(
            self.send_update(
                tg_update(1), secret=self.connector.webhook_key
            ).status_code,
            403,
        )
        # A header that is not ASCII is a wrong secret, not a server error.
        self.assertEqual(
            self.send_update(tg_update(1), secret="s\u00e9cret").status_code, 403
        )
        response = self.post_json("/livechat/telegram/not-a-key", tg_update(1))
        self.assertEqual(response.status_code, 404)
        self.connector.action_disconnect()
        self.assertEqual(self.send_update(tg_update(1)).status_code, 404)
        self.assertFalse(self.messages("telegram"))

    def test_malformed_payload_gets_a_400_with_the_reason_and_is_logged(self):
        response = self.post_json(
            self.connector._webhook_path(),
            None,
            raw=b"{not json",
            headers={"X-Telegram-Bot-Api-Secret-Token": self.connector.webhook_secret},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("not JSON", response.json()["reason"])
        response = self.send_update({"update_id": 3, "message": {"message_id": 1}})
        self.assertEqual(response.status_code, 400)
        self.assertIn("message.date", response.json()["reason"])
        self.assertFalse(self.messages("telegram"))
        self.assertIn("message.date", self.connector.last_error)

    def test_message_the_way_in_refuses_gets_a_400(self):
        response = self.send_update(tg_update(4, "x" * 20001))
        self.assertEqual(response.status_code, 400)
        self.assertIn("20000", response.json()["reason"])
        self.assertFalse(self.messages("telegram"))

    def test_files_are_downloaded_with_the_message(self):
        self.bot.files["doc1"] = b"%PDF-1.4 invoice"
        response = self.send_update(
            tg_update(
                5,
                None,
                caption="Invoice",
                document={
                    "file_id": "doc1",
                    "file_name": "invoice.pdf",
                    "mime_type": "application/pdf",
                },
            )
        )
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.messages("telegram")
        self.assertEqual(
            message.attachment_ids.datas_fname or message.attachment_ids.name,
            "invoice.pdf",
        )
        self.assertEqual(
            base64.b64decode(message.attachment_ids.datas), b"%PDF-1.4 invoice"
        )

    def test_a_file_telegram_cannot_serve_now_is_asked_again(self):
        self.bot.files["photo1"] = b"\xff\xd8jpeg"
        self.bot.fail_next(502, {"ok": False}, method="file")
        update = tg_update(6, None, photo=[{"file_id": "photo1", "width": 800}])
        self.assertEqual(self.send_update(update).status_code, 503)
        self.assertFalse(self.messages("telegram"))
        # Telegram sends the update again: now it goes in, once.
        self.assertEqual(self.send_update(update).status_code, 200)
        [message] = self.messages("telegram")
        self.assertEqual(message.body, "<p>[Photo]</p>")
        self.assertEqual(
            base64.b64decode(message.attachment_ids.datas), b"\xff\xd8jpeg"
        )

    def test_the_profile_photo_is_fetched_once_by_a_job(self):
        self.bot.files["face"] = b"\x89PNGface"
        self.bot.profile_photos[7001] = "face"
        self.send_update(tg_update(1, "one"))
        self.send_update(tg_update(2, "two"))
        account = self.messages("telegram").mapped("author_account_id")
        jobs = (
            self.env["queue.job"]
            .search([("method_name", "=", "_fetch_avatar_job")])
            .filtered(lambda job: job.record_ids == account.ids)
        )
        self.assertEqual(len(jobs), 1)
        self.assertEqual(account.avatar_fetch, "queued")
        self.perform(jobs)
        self.assertEqual(account.avatar_fetch, "done")
        self.assertEqual(base64.b64decode(account.image), b"\x89PNGface")

    # Out ---------------------------------------------------------------------

    def _incoming(self):
        self.send_update(tg_update(1, "Hello?"))
        return self.messages("telegram")

    def test_reply_goes_out_through_the_queue_once(self):
        reply = self.take_and_reply(self._incoming(), "We are on it")
        self.assertEqual(reply.delivery_state, "pending")
        self.assertFalse(
            self.bot.calls_of("sendMessage"), "nothing sent before the job runs"
        )
        [job] = self.delivery_jobs(reply)
        self.assertEqual(job.channel, "root.livechat")
        self.perform(job)
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(
            self.bot.calls_of("sendMessage"),
            [{"chat_id": "7001", "text": "We are on it"}],
        )
        self.assertTrue(reply.external_id.startswith("out:"))
        # The same job run again (a runner retrying after a lost answer)
        # does not send a second time.
        self.perform(job)
        self.assertEqual(len(self.bot.calls_of("sendMessage")), 1)

    def test_new_session_writes_first_through_the_bot(self):
        # +New session: a customer known from a closed session gets the
        # operator's first message through the Telegram bot.
        session = self._incoming().session_id
        session.sudo(self.operator).action_take()
        session.sudo(self.operator).action_close()
        action = (
            self.env["livechat.session.new"]
            .sudo(self.operator)
            .create(
                {
                    "chat_id": self.chat.id,
                    "account_id": session.account_id.id,
                    "body": "Your parcel left the warehouse",
                }
            )
            .action_start()
        )
        new = self.env["livechat.session"].browse(action["params"]["session_id"])
        [first] = new.message_ids.sudo()
        [job] = self.delivery_jobs(first)
        self.perform(job)
        self.assertEqual(first.delivery_state, "sent")
        self.assertEqual(
            self.bot.calls_of("sendMessage"),
            [{"chat_id": "7001", "text": "Your parcel left the warehouse"}],
        )

    def test_an_internal_note_is_never_delivered(self):
        reply = self.take_and_reply(self._incoming(), "We are on it")
        note = reply.session_id.sudo(self.operator).add_note("Bot user, check id")
        self.assertFalse(self.delivery_jobs(note))
        self.assertFalse(note.delivery_state)
        [job] = self.delivery_jobs(reply)
        self.perform(job)
        self.assertEqual(
            self.bot.calls_of("sendMessage"),
            [{"chat_id": "7001", "text": "We are on it"}],
        )

    def test_new_session_only_where_the_first_message_can_leave(self):
        session = self._incoming().session_id
        session.sudo(self.operator).action_take()
        session.sudo(self.operator).action_close()
        Wizard = self.env["livechat.session.new"].sudo(self.operator)

        def offered():
            wizard = Wizard.new({"chat_id": self.chat.id})
            return wizard._onchange_chat_id()["domain"]["account_id"][0][2]

        self.assertIn("telegram", offered())
        self.connector.action_disconnect()
        # The picker no longer offers Telegram customers (the website's and
        # Odoo's, which need no connector, stay)...
        self.assertNotIn("telegram", offered())
        self.assertIn("website", offered())
        self.assertNotIn("whatsapp", offered())  # this chat has no number
        # ...and a wizard that still names one explains before storing.
        wizard = Wizard.create(
            {
                "chat_id": self.chat.id,
                "account_id": session.account_id.id,
                "body": "Your parcel left the warehouse",
            }
        )
        self.assertIn("not connected", wizard.cannot_send)
        sessions_before = self.env["livechat.session"].search_count([])
        with self.assertRaisesRegex(UserError, "Telegram connector of live chat"):
            wizard.action_start()
        self.assertEqual(self.env["livechat.session"].search_count([]), sessions_before)
        self.connector.unlink()
        wizard.invalidate_cache()
        self.assertIn("has no Telegram connector", wizard.cannot_send)

    def test_provider_down_or_throttling_keeps_the_reply_queued(self):
        reply = self.take_and_reply(self._incoming(), "Later")
        [job] = self.delivery_jobs(reply)
        self.bot.fail_next(
            502, {"ok": False, "description": "Bad Gateway"}, method="send"
        )
        with self.assertRaises(RetryableJobError):
            self.perform(job)
        self.assertEqual(reply.delivery_state, "pending")
        self.assertEqual(self.connector.queue_length, 1)
        self.assertIn("502", self.connector.last_error)
        self.bot.fail_next(
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
            method="send",
        )
        with self.assertRaises(RetryableJobError) as caught:
            self.perform(job)
        self.assertEqual(caught.exception.seconds, 7)
        self.assertFalse(self.bot.calls_of("sendMessage"))
        self.perform(job)
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(len(self.bot.calls_of("sendMessage")), 1)
        self.assertEqual(self.connector.queue_length, 0)

    def test_replies_reach_the_customer_in_their_order(self):
        incoming = self._incoming()
        first = self.take_and_reply(incoming, "first")
        second = self.take_and_reply(incoming, "second")
        [second_job] = self.delivery_jobs(second)
        with self.assertRaises(RetryableJobError):
            self.perform(second_job)
        self.assertFalse(self.bot.calls_of("sendMessage"))
        self.perform(self.delivery_jobs(first))
        self.perform(second_job)
        self.assertEqual(
            [call["text"] for call in self.bot.calls_of("sendMessage")],
            ["first", "second"],
        )

    def test_a_refused_reply_is_marked_failed_and_the_operator_told(self):
        reply = self.take_and_reply(self._incoming(), "Are you there?")
        self.bot.fail_next(
            403,
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            },
            method="send",
        )
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(reply.delivery_state, "failed")
        self.assertIn("blocked by the user", reply.delivery_error)
        self.assertTrue(self.delivery_failed_payloads())

    def test_attachments_go_out_as_files(self):
        attachment = (
            self.env["ir.attachment"]
            .sudo(self.operator)
            .create(
                {
                    "name": "label.pdf",
                    "datas_fname": "label.pdf",
                    "datas": base64.b64encode(b"%PDF label"),
                    "mimetype": "application/pdf",
                }
            )
        )
        reply = self.take_and_reply(
            self._incoming(), "Your label", attachment_ids=attachment.ids
        )
        self.perform(self.delivery_jobs(reply))
        [sent] = self.bot.calls_of("sendDocument")
        self.assertEqual(sent["chat_id"], "7001")
        self.assertEqual(sent["document"]["filename"], "label.pdf")
        self.assertEqual(sent["document"]["content"], b"%PDF label")
