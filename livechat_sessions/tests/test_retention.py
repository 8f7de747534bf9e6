# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retention: a chat deletes the messages and files of sessions closed
longer ago than its retention period, and nothing else."""
import base64
import datetime

import odoo
from odoo import fields
from odoo.exceptions import AccessError

from ..tools.transaction import run_with_retry
from .common import CommittedChatCase, LivechatCase


def days_ago(days):
    return fields.Datetime.to_string(
        datetime.datetime.utcnow() - datetime.timedelta(days=days)
    )


class TestRetention(LivechatCase):
    def closed_session(self, account, closed_days_ago, chat=None, files=False):
        kwargs = {}
        if files:
            kwargs["attachments"] = [
                {"name": "id-card.pdf", "datas": base64.b64encode(b"%PDF-1.4 card")}
            ]
        message = self.receive("My details", chat=chat, account=account, **kwargs)
        self.receive("More details", chat=chat, account=account)
        session = message.session_id
        session.write({"state": "closed", "closed_date": days_ago(closed_days_ago)})
        return session

    def test_only_what_the_period_no_longer_keeps_goes(self):
        old = self.closed_session("old", 40, files=True)
        recent = self.closed_session("recent", 10)
        still_open = self.receive("Still here", account="open").session_id
        self.env.cr.execute(
            "UPDATE livechat_session SET first_message_date = %s WHERE id = %s",
            (days_ago(90), still_open.id),
        )
        other_chat = self.closed_session("other", 400, chat=self.chat_b)
        [attachment] = old.message_ids.mapped("attachment_ids")
        deleted = self.chat_a._purge_batch(days_ago(30), 100)
        self.assertEqual(deleted, 2)
        self.assertFalse(old.exists().message_ids)
        self.assertTrue(old.exists(), "the session stays for the reports")
        self.assertTrue(old.messages_deleted_date)
        self.assertFalse(attachment.exists(), "its files go with them")
        self.assertEqual(len(recent.message_ids), 2)
        self.assertFalse(recent.messages_deleted_date)
        self.assertEqual(len(still_open.message_ids), 1)
        self.assertEqual(len(other_chat.message_ids), 2, "another chat's rules")
        # Nothing left to do.
        self.assertEqual(self.chat_a._purge_batch(days_ago(30), 100), 0)

    def test_batches_delete_a_bounded_number_each(self):
        session = self.closed_session("many", 40)
        for n in range(3):
            self.receive("Line %d" % n, account="many")
        # The customer's new messages opened a new session: only the closed
        # one's 2 messages are due.
        self.assertEqual(self.chat_a._purge_batch(days_ago(30), 1), 1)
        self.assertEqual(len(session.message_ids), 1)
        self.assertEqual(self.chat_a._purge_batch(days_ago(30), 1), 1)
        self.assertFalse(session.message_ids)

    def test_only_administrators_set_the_period(self):
        with self.assertRaisesRegex(AccessError, "Only live chat administrators"):
            self.chat_a.sudo(self.supervisor).write({"retention_days": 1})
        self.chat_a.sudo(self.manager).write({"retention_days": 30})
        self.assertEqual(self.chat_a.retention_days, 30)


class TestRetentionCron(CommittedChatCase):
    """The nightly cron, whose batches commit: on committed data."""

    def test_the_cron_empties_what_is_due_in_committed_batches(self):
        def create(env):
            chat = env["livechat.chat"].browse(self.chat_id)
            chat.retention_days = 30
            sessions = env["livechat.session"]
            for n in range(3):
                account = {"external_id": "%s-%d" % (self.tag, n), "name": "C%d" % n}
                for line in range(3):
                    sessions |= chat._receive_message(
                        "messenger", account, "Line %d" % line
                    ).session_id
            sessions.write({"state": "closed", "closed_date": days_ago(31)})
            return sessions.ids

        session_ids = run_with_retry(self.registry, create)
        with odoo.api.Environment.manage(), self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            deleted = env["livechat.chat"]._cron_apply_retention(batch=4)
        self.assertEqual(deleted, 9)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM livechat_message WHERE session_id IN %s",
                (tuple(session_ids),),
            )
            self.assertEqual(cr.fetchone()[0], 0)
            cr.execute(
                """SELECT count(*) FROM livechat_session
                   WHERE id IN %s AND messages_deleted_date IS NOT NULL""",
                (tuple(session_ids),),
            )
            self.assertEqual(cr.fetchone()[0], 3)
