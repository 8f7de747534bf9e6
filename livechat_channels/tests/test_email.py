# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The email inbox against real servers: dovecot (IMAP) and an SMTP server
on localhost."""

import email
import email.policy
from email.message import EmailMessage

from odoo.addons.queue_job.exception import RetryableJobError

from .common import ChannelCase
from .mail_servers import Dovecot, SmtpSink


def customer_email(
    message_id,
    body,
    subject="Broken kettle",
    sender="Carla <carla@example.com>",
    in_reply_to=None,
    attachment=None,
):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@shop.example"
    message["Subject"] = subject
    message["Message-Id"] = message_id
    message["Date"] = "Tue, 14 Nov 2023 22:13:20 +0100"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    if attachment:
        message.add_attachment(
            attachment[1], maintype="application", subtype="pdf", filename=attachment[0]
        )
    return message.as_bytes()


class TestEmail(ChannelCase):

    def setUp(self):
        super(TestEmail, self).setUp()
        self.imap = Dovecot()
        self.addCleanup(self.imap.stop)
        self.smtp = SmtpSink()
        self.addCleanup(self.smtp.stop)
        self.connector = self.env["livechat.connector.email"].create(
            {
                "name": "Support inbox",
                "chat_id": self.chat.id,
                "email_address": "support@shop.example",
                "imap_host": "127.0.0.1",
                "imap_port": self.imap.port,
                "imap_ssl": False,
                "imap_login": "support",
                "imap_password": "secret",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "smtp_security": "none",
            }
        )
        self.connector.action_connect()

    def fetch(self):
        count = self.connector._fetch()
        self.env.clear()
        return count

    def test_presets_fill_the_servers(self):
        with self.env.do_in_onchange():
            record = self.env["livechat.connector.email"].new({"preset": "office365"})
            record._onchange_preset()
            self.assertEqual(record.imap_host, "outlook.office365.com")
            self.assertEqual(record.smtp_host, "smtp.office365.com")
            self.assertEqual(record.smtp_security, "starttls")

    def test_new_email_opens_a_session_and_is_taken_once(self):
        self.imap.append(
            customer_email(
                "<a1@example.com>",
                "It stopped working.",
                attachment=("receipt.pdf", b"%PDF receipt"),
            )
        )
        self.assertEqual(self.fetch(), 1)
        [message] = self.messages("email")
        self.assertEqual(message.body, "<p>It stopped working.</p>")
        self.assertEqual(message.author_account_id.external_id, "carla@example.com")
        self.assertEqual(message.author_account_id.name, "Carla")
        self.assertEqual(message.author_account_id.email, "carla@example.com")
        self.assertEqual(message.email_subject, "Broken kettle")
        self.assertEqual(message.date, "2023-11-14 21:13:20")
        self.assertEqual(
            message.attachment_ids.datas_fname or message.attachment_ids.name,
            "receipt.pdf",
        )
        self.assertEqual(self.connector.last_uid, 1)
        # Nothing new: nothing taken. The mailbox read again from the start
        # (a new UIDVALIDITY) stores nothing twice.
        self.assertEqual(self.fetch(), 0)
        self.connector.write({"last_uid": 0})
        self.fetch()
        self.assertEqual(len(self.messages("email")), 1)

    def test_follow_up_joins_the_open_session_and_reply_keeps_the_thread(self):
        self.imap.append(customer_email("<a1@example.com>", "It stopped working."))
        self.fetch()
        [first] = self.messages("email")
        reply = self.take_and_reply(first, "Please send a photo.")
        jobs = self.delivery_jobs(reply)
        self.perform(jobs)
        self.assertEqual(reply.delivery_state, "sent")
        [sent] = self.smtp.received
        self.assertEqual(sent["to"], ["carla@example.com"])
        out = email.message_from_bytes(sent["data"], policy=email.policy.default)
        self.assertEqual(out["Subject"], "Re: Broken kettle")
        self.assertEqual(out["In-Reply-To"], "<a1@example.com>")
        self.assertIn("<a1@example.com>", out["References"])
        self.assertIn("support@shop.example", out["From"])
        self.assertEqual(out.get_body().get_content().strip(), "Please send a photo.")
        self.assertEqual(reply.email_message_id, out["Message-Id"])
        # Carla answers in the thread: same session.
        self.imap.append(
            customer_email(
                "<a2@example.com>",
                "Here it is.",
                subject="Re: Broken kettle",
                in_reply_to=out["Message-Id"],
            )
        )
        self.fetch()
        self.assertEqual(len(self.messages("email").mapped("session_id")), 1)
        self.assertEqual(len(self.messages("email")), 3)

    def test_smtp_temporary_failure_keeps_the_reply_queued(self):
        self.imap.append(customer_email("<a1@example.com>", "Hello?"))
        self.fetch()
        reply = self.take_and_reply(self.messages("email"), "Hello Carla")
        self.smtp.fail_next.append("451 4.3.0 Try again later")
        [job] = self.delivery_jobs(reply)
        with self.assertRaises(RetryableJobError):
            self.perform(job)
        self.assertEqual(reply.delivery_state, "pending")
        self.assertIn("451", self.connector.last_error)
        self.perform(job)
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(len(self.smtp.received), 1)

    def test_wrong_password_says_so(self):
        self.connector.imap_password = "wrong"
        with self.assertRaisesRegex(Exception, "mailbox answered"):
            self.connector.action_fetch()
