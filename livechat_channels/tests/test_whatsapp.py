# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""WhatsApp Cloud API end to end against a local server speaking the Graph
API: the verification handshake, signed notifications in, replies out."""

import base64
import hashlib
import hmac
import json
import time

from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from .common import ChannelCase
from .fake_providers import FakeGraph
from .test_engine import wa_notification

SECRET = "app-secret"


class WhatsappCase(ChannelCase):
    """The chat's WhatsApp number against a local Graph API (``self.graph``),
    and Meta's signed notifications (:meth:`notify`)."""

    def setUp(self):
        super(WhatsappCase, self).setUp()
        self.graph = FakeGraph("wa-token", "1055")
        self.addCleanup(self.graph.stop)
        self.connector = self.env["livechat.connector.whatsapp"].create(
            {
                "name": "Support number",
                "chat_id": self.chat.id,
                "phone_number_id": "1055",
                "access_token": "wa-token",
                "app_secret": SECRET,
                "api_url": self.graph.url,
            }
        )

    def notify(self, payload, signature=None):
        raw = json.dumps(payload).encode()
        if signature is None:
            signature = (
                "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
            )
        return self.post_json(
            self.connector._webhook_path(),
            None,
            raw=raw,
            headers={"X-Hub-Signature-256": signature},
        )


class TestWhatsapp(WhatsappCase):
    def test_verification_handshake_echoes_the_challenge_for_our_token(self):
        # See ChannelCase.post_json: a savepoint on the test cursor.
        self.cr.commit()  # pylint: disable=invalid-commit
        url = "%s?hub.mode=subscribe&hub.challenge=31337&hub.verify_token=%s" % (
            self.connector._webhook_path(),
            self.connector.verify_token,
        )
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text, "31337")
        response = self.url_open(url.replace(self.connector.verify_token, "guess"))
        self.assertEqual(response.status_code, 403)

    def test_connect_checks_the_number(self):
        self.connector.action_connect()
        self.assertEqual(self.connector.state, "connected")
        self.connector.action_test()
        self.assertIn("+1 555-0100", self.connector.last_check)

    def test_signed_notification_becomes_a_message_once(self):
        self.connector.action_connect()
        response = self.notify(wa_notification())
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.messages("whatsapp")
        self.assertEqual(message.body, "<p>Hola</p>")
        self.assertEqual(message.author_account_id.name, "Wanda App")
        self.assertEqual(message.external_id, "wamid.in.1")
        self.assertEqual(self.notify(wa_notification()).status_code, 200)
        self.assertEqual(len(self.messages("whatsapp")), 1)

    def test_unsigned_or_wrongly_signed_notifications_are_refused(self):
        self.connector.action_connect()
        self.assertEqual(self.notify(wa_notification(), signature="").status_code, 403)
        self.assertEqual(
            self.notify(wa_notification(), signature="sha256=00").status_code, 403
        )
        self.assertFalse(self.messages("whatsapp"))

    def test_malformed_and_status_notifications(self):
        self.connector.action_connect()
        response = self.notify({"object": "whatsapp_business_account"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("entry", response.json()["reason"])
        statuses = wa_notification()
        del statuses["entry"][0]["changes"][0]["value"]["messages"]
        self.assertEqual(self.notify(statuses).status_code, 200)
        self.assertFalse(self.messages("whatsapp"))

    def test_media_is_downloaded(self):
        self.connector.action_connect()
        self.graph.media["m1"] = (b"\x89PNG", "image/png")
        response = self.notify(
            wa_notification(
                message={
                    "type": "image",
                    "image": {
                        "id": "m1",
                        "mime_type": "image/png",
                        "caption": "Broken screen",
                    },
                }
            )
        )
        self.assertEqual(response.status_code, 200, response.text)
        [message] = self.messages("whatsapp")
        self.assertEqual(message.body, "<p>Broken screen</p>")
        self.assertEqual(base64.b64decode(message.attachment_ids.datas), b"\x89PNG")

    def test_reply_is_sent_once_after_throttling(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 60))
        reply = self.take_and_reply(self.messages("whatsapp"), "Te ayudamos")
        [job] = self.delivery_jobs(reply)
        self.graph.fail_next(
            429,
            {"error": {"message": "Rate limit hit", "code": 130429}},
            headers={"Retry-After": "3"},
            method="messages",
        )
        with self.assertRaises(RetryableJobError) as caught:
            self.perform(job)
        self.assertEqual(caught.exception.seconds, 3)
        self.perform(job)
        self.perform(job)
        self.assertEqual(
            self.graph.calls_of("messages"),
            [
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": "34600111222",
                    "type": "text",
                    "text": {"body": "Te ayudamos"},
                }
            ],
        )
        self.assertEqual(reply.delivery_state, "sent")
        self.assertIn("wamid.out.1", reply.external_id)

    # WhatsApp's 24-hour window -------------------------------------------------

    def _old_customer(self):
        """A customer whose last WhatsApp message is two days old."""
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 2 * 86400))
        [message] = self.messages("whatsapp")
        return message

    def test_closing_outside_the_window_closes_without_the_closing_message(self):
        message = self._old_customer()
        message.session_id.chat_id.closing_message = "Thank you!"
        session = message.session_id.sudo(self.operator)
        session.action_take()
        session.action_close()
        self.assertEqual(session.state, "closed")
        self.assertEqual(len(self.messages("whatsapp")), 1, "nothing was sent")

    def test_reply_outside_the_window_is_refused_before_it_is_stored(self):
        message = self._old_customer()
        session = message.session_id.sudo(self.operator)
        with self.assertRaises(UserError) as caught:
            session.reply("Are you still there?")
        self.assertIn("24 hours", caught.exception.name)
        self.assertEqual(session.state, "queued", "not taken either")
        self.assertEqual(len(self.messages("whatsapp")), 1)
        # The conversation view says why the composer is closed.
        data = self.env["livechat.workspace"].sudo(self.operator).messages(session.id)
        self.assertFalse(data["session"]["can_reply"])
        self.assertIn("24 hours", data["session"]["reply_reason"])
        # Once the customer writes again, the operator answers freely.
        self.notify(
            wa_notification(message_id="wamid.in.2", timestamp=int(time.time()))
        )
        reply = self.take_and_reply(message, "Yes, here")
        [job] = self.delivery_jobs(reply)
        self.perform(job)
        self.assertEqual(self.graph.calls_of("messages")[-1]["type"], "text")

    def _new_session(self, account):
        return (
            self.env["livechat.session.new"]
            .sudo(self.operator)
            .create({"chat_id": self.chat.id, "account_id": account.id})
        )

    def test_new_session_outside_the_window_sends_the_template(self):
        message = self._old_customer()
        message.session_id.sudo().action_close()
        wizard = self._new_session(message.author_account_id)
        self.assertTrue(wizard.whatsapp_window_closed)
        self.assertFalse(wizard.whatsapp_template)
        with self.assertRaises(UserError):  # no template configured
            wizard.action_start()
        self.connector.write(
            {"template_name": "order_update", "template_language": "es"}
        )
        wizard = self._new_session(message.author_account_id)
        self.assertEqual(wizard.whatsapp_template, "order_update")
        action = wizard.action_start()
        session = self.env["livechat.session"].browse(action["params"]["session_id"])
        [first] = session.message_ids.sudo()
        self.assertEqual(first.whatsapp_template, "order_update")
        self.assertIn("order_update", first.body)
        [job] = self.delivery_jobs(first)
        self.perform(job)
        self.assertEqual(
            self.graph.calls_of("messages")[-1],
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "34600111222",
                "type": "template",
                "template": {"name": "order_update", "language": {"code": "es"}},
            },
        )
        self.assertEqual(first.delivery_state, "sent")

    def test_a_reply_via_whatsapp_from_the_timeline_follows_new_sessions_rules(self):
        """An operator answering an email turns to the customer's WhatsApp
        (one customer, one timeline): outside the 24-hour window the
        template goes out, as +New session sends it, and no file."""
        old = self._old_customer()
        old.session_id.sudo().action_close()
        whatsapp = old.author_account_id
        email = self.chat._receive_message(
            "email", {"external_id": "maria@example.com", "name": "Maria"}, "Hi"
        )
        partner = self.env["res.partner"].create({"name": "Maria"})
        (whatsapp | email.author_account_id).write({"partner_id": partner.id})
        session = email.session_id
        session.sudo(self.operator).action_take()
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        [route] = [
            r
            for r in Workspace.reply_channels(session.id)
            if r["channel"] == "whatsapp"
        ]
        self.assertIn("template", route["reason"])  # none configured
        with self.assertRaises(UserError):
            Workspace.reply(session.id, "Hello", via_account_id=whatsapp.id)
        self.connector.write({"template_name": "order_update"})
        [route] = [
            r
            for r in Workspace.reply_channels(session.id)
            if r["channel"] == "whatsapp"
        ]
        self.assertFalse(route["reason"])
        self.assertIn("order_update", route["note"])
        upload = (
            self.env["ir.attachment"]
            .sudo(self.operator)
            .create(
                {
                    "name": "a.txt",
                    "datas": "aGVsbG8=",
                    "res_model": "livechat.session",
                    "res_id": session.id,
                }
            )
        )
        with self.assertRaises(UserError):
            Workspace.reply(
                session.id,
                "A file",
                via_account_id=whatsapp.id,
                attachment_ids=[upload.id],
            )
        row = Workspace.reply(session.id, "Your parcel", via_account_id=whatsapp.id)
        first = self.env["livechat.message"].browse(row["id"])
        self.assertEqual(first.whatsapp_template, "order_update")
        self.assertEqual(first.session_id.account_id, whatsapp)
        self.assertNotEqual(first.session_id, old.session_id)
        self.perform(self.delivery_jobs(first))
        self.assertEqual(self.graph.calls_of("messages")[-1]["type"], "template")

    def test_new_session_inside_the_window_sends_the_text(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 3600))
        [message] = self.messages("whatsapp")
        message.session_id.sudo().action_close()
        wizard = self._new_session(message.author_account_id)
        self.assertFalse(wizard.whatsapp_window_closed)
        wizard.body = "Your parcel left today"
        action = wizard.action_start()
        session = self.env["livechat.session"].browse(action["params"]["session_id"])
        [first] = session.message_ids.sudo()
        self.perform(self.delivery_jobs(first))
        self.assertEqual(
            self.graph.calls_of("messages")[-1]["text"],
            {"body": "Your parcel left today"},
        )

    def test_a_reply_that_waited_past_the_window_fails_with_the_reason(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 60))
        [message] = self.messages("whatsapp")
        reply = self.take_and_reply(message, "One moment")
        # The job runs after the window closed (the provider was down).
        self.env.cr.execute(
            "UPDATE livechat_message SET date = date - interval '2 days' "
            "WHERE id = %s",
            (message.id,),
        )
        [job] = self.delivery_jobs(reply)
        self.perform(job)
        self.assertEqual(reply.delivery_state, "failed")
        self.assertIn("24 hours", reply.delivery_error)
        self.assertFalse(self.graph.calls_of("messages"))

    # Delivery statuses ------------------------------------------------------------

    def _status(
        self,
        message_id,
        status="failed",
        recipient="34600111222",
        errors=None,
        phone_number_id="1055",
    ):
        """A statuses notification as Meta sends it for a message of ours."""
        payload = wa_notification(phone_number_id=phone_number_id)
        value = payload["entry"][0]["changes"][0]["value"]
        del value["messages"], value["contacts"]
        value["statuses"] = [
            dict(
                {
                    "id": message_id,
                    "status": status,
                    "recipient_id": recipient,
                    "timestamp": str(int(time.time())),
                },
                **({"errors": errors} if errors is not None else {}),
            )
        ]
        return payload

    def test_a_reply_meta_delivers_is_marked_delivered_once(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 60))
        reply = self.take_and_reply(self.messages("whatsapp"), "Te ayudamos")
        self.perform(self.delivery_jobs(reply))
        # Delivered, then read, then the same report again: one change.
        for status in ("delivered", "read", "delivered"):
            response = self.notify(self._status("wamid.out.1", status))
            self.assertEqual(response.status_code, 200, response.text)
        reply.invalidate_cache()
        self.assertEqual(reply.delivery_state, "delivered")
        [payload] = self.delivery_failed_payloads("livechat.delivery_delivered")
        self.assertEqual(
            payload["message"], {"id": reply.id, "state": "delivered", "error": False}
        )
        # A later failure report does not undo what the customer received.
        response = self.notify(self._status("wamid.out.1", errors=[{"code": 1}]))
        self.assertEqual(response.status_code, 200, response.text)
        reply.invalidate_cache()
        self.assertEqual(reply.delivery_state, "delivered")

    def test_a_reply_meta_fails_later_is_marked_failed_and_the_operators_told(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 60))
        reply = self.take_and_reply(self.messages("whatsapp"), "Te ayudamos")
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(reply.delivery_state, "sent")
        # "sent" adds nothing to what the send call said.
        response = self.notify(self._status("wamid.out.1", "sent"))
        self.assertEqual(response.status_code, 200, response.text)
        reply.invalidate_cache()
        self.assertEqual(reply.delivery_state, "sent")
        self.assertFalse(self.delivery_failed_payloads())

        errors = [
            {
                "code": 131026,
                "title": "Message undeliverable",
                "message": "Message undeliverable",
                "error_data": {
                    "details": "The recipient is not a valid WhatsApp user."
                },
            }
        ]
        response = self.notify(self._status("wamid.out.1", errors=errors))
        self.assertEqual(response.status_code, 200, response.text)
        reply.invalidate_cache()
        self.assertEqual(reply.delivery_state, "failed")
        self.assertEqual(
            reply.delivery_error,
            "WhatsApp could not deliver it: The recipient is not a valid "
            "WhatsApp user. (error 131026)",
        )
        [payload] = self.delivery_failed_payloads()
        self.assertEqual(
            payload["message"],
            {"id": reply.id, "state": "failed", "error": reply.delivery_error},
        )
        self.assertEqual(payload["session_id"], reply.session_id.id)
        # The workspace shows the reason under the reply.
        [row] = [
            row
            for row in self.env["livechat.conversation"]
            .sudo(self.operator)
            .messages(reply.session_id.id)["messages"]
            if row["id"] == reply.id
        ]
        self.assertEqual(row["delivery_error"], reply.delivery_error)
        # Meta reporting it again changes nothing and tells nobody again.
        self.assertEqual(
            self.notify(self._status("wamid.out.1", errors=errors)).status_code, 200
        )
        self.assertEqual(len(self.delivery_failed_payloads()), 1)

    def test_failures_of_unknown_or_other_messages_are_ignored(self):
        self.connector.action_connect()
        self.notify(wa_notification(timestamp=int(time.time()) - 60))
        reply = self.take_and_reply(self.messages("whatsapp"), "Te ayudamos")
        self.perform(self.delivery_jobs(reply))
        # Another message id, another customer, another number: not ours.
        for payload in (
            self._status("wamid.unknown"),
            self._status("wamid.out.1", recipient="34999000111"),
            self._status("wamid.out.1", phone_number_id="9999"),
        ):
            self.assertEqual(self.notify(payload).status_code, 200)
        reply.invalidate_cache()
        self.assertEqual(reply.delivery_state, "sent")
        self.assertFalse(self.delivery_failed_payloads())
        # A failed status without Meta's errors still says it failed.
        self.notify(self._status("wamid.out.1"))
        reply.invalidate_cache()
        self.assertEqual(
            reply.delivery_error, "WhatsApp could not deliver it: no reason given"
        )

    def test_a_malformed_status_refuses_the_whole_notification(self):
        self.connector.action_connect()
        payload = self._status("wamid.out.1")
        del payload["entry"][0]["changes"][0]["value"]["statuses"][0]["recipient_id"]
        # A customer's message in the same notification is not stored
        # either: Meta sends the notification again once it is valid.
        payload["entry"][0]["changes"][0]["value"]["messages"] = wa_notification()[
            "entry"
        ][0]["changes"][0]["value"]["messages"]
        response = self.notify(payload)
        self.assertEqual(response.status_code, 400)
        self.assertIn("recipient_id", response.json()["reason"])
        self.assertFalse(self.messages("whatsapp"))
