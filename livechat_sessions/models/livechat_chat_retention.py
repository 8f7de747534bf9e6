# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retention: a live chat keeps the messages and files of its closed
sessions for a set number of days, then deletes them.

What goes: the messages of sessions closed more than ``retention_days``
ago, and their files (``ir.attachment`` rows through the ORM, so that
Odoo's filestore collects the files). What stays: the sessions (their
name, customer, operator, dates and timings: the reports count them), their
events and process logs, marked with the date their messages were deleted.

How: a daily cron deletes in batches of :data:`BATCH` messages, each its
own transaction committed at once, so a purge of millions never holds
locks for long (live traffic writes other rows) and a stopped run is
simply continued by the next; rows another transaction holds are skipped
that round. A run stops after :data:`TIME_BUDGET` seconds and the next day
goes on (bench/retention.py measures a million messages).
"""
import datetime
import logging
import time

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: Messages deleted per transaction.
BATCH = 5000
#: Seconds one cron run may spend.
TIME_BUDGET = 900


class LivechatChat(models.Model):
    _inherit = "livechat.chat"

    retention_days = fields.Integer(
        "Keep closed sessions' messages (days)",
        default=0,
        help="After this many days from a session's closing, its messages "
        "and files are deleted (the session and its figures stay for the "
        "reports). 0 keeps them for ever.",
    )

    _sql_constraints = [
        (
            "retention_days_positive",
            "CHECK (retention_days >= 0)",
            "The retention period is a number of days, 0 or more.",
        )
    ]

    @api.model
    def _cron_apply_retention(self, budget=TIME_BUDGET, batch=BATCH):
        """Delete what every chat's retention period no longer keeps, for at
        most ``budget`` seconds. Returns the number of messages deleted."""
        deadline = time.time() + budget
        deleted = 0
        chats = (
            self.sudo()
            .with_context(active_test=False)
            .search([("retention_days", ">", 0)])
        )
        for chat in chats:
            before = fields.Datetime.to_string(
                datetime.datetime.utcnow()
                - datetime.timedelta(days=chat.retention_days)
            )
            while time.time() < deadline:
                count = chat._purge_batch(before, batch)
                # Each batch is its own transaction: short locks, and what is
                # done stays done if the run stops.
                self.env.cr.commit()  # pylint: disable=invalid-commit
                deleted += count
                if count < batch:
                    break
        if deleted:
            _logger.info("Retention: deleted %d messages of closed sessions.", deleted)
        return deleted

    def _purge_batch(self, before, batch):
        """Delete up to ``batch`` messages (and their files) of this chat's
        sessions closed before ``before``; returns how many."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute(
            """SELECT m.id, m.session_id FROM livechat_message m
               JOIN livechat_session s ON s.id = m.session_id
               WHERE s.chat_id = %s AND s.state = 'closed' AND s.closed_date < %s
               ORDER BY m.id
               LIMIT %s
               FOR UPDATE OF m SKIP LOCKED""",
            (self.id, before, batch),
        )
        rows = cr.fetchall()
        if not rows:
            return 0
        ids = [row[0] for row in rows]
        # Files through the ORM: Odoo deletes them from the filestore.
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "livechat.message"), ("res_id", "in", ids)]
        ).unlink()
        cr.execute("DELETE FROM livechat_message WHERE id IN %s", (tuple(ids),))
        cr.execute(
            """UPDATE livechat_session SET messages_deleted_date =
                   now() AT TIME ZONE 'UTC'
               WHERE id IN %s""",
            (tuple({row[1] for row in rows}),),
        )
        self.env["livechat.message"].invalidate_cache(ids=ids)
        return len(ids)
