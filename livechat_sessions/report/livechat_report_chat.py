# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools

from ..models.livechat_chat import CHANNELS


class LivechatReportChat(models.Model):
    """Live Chat Performance: one row per session (its first message's
    time), spam included and counted apart, so that the pivot gives
    sessions, queue wait, abandoned sessions, load by hour and weekday and
    the spam share per chat and period.

    The 90th percentile of the queue wait cannot be added up by a pivot: each
    row carries its chat's p90 for that day (``queue_wait_p90``, shown with
    "max", exact when grouped by day)."""

    _name = "livechat.report.chat"
    _description = "Live Chat Performance"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    chat_id = fields.Many2one("livechat.chat", string="Live Chat", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    # Hour and weekday in the chat's time zone.
    hour = fields.Integer("Hour of Day", group_operator="min", readonly=True)
    weekday = fields.Selection(
        [
            ("1", "Monday"),
            ("2", "Tuesday"),
            ("3", "Wednesday"),
            ("4", "Thursday"),
            ("5", "Friday"),
            ("6", "Saturday"),
            ("7", "Sunday"),
        ],
        readonly=True,
    )
    sessions = fields.Integer(readonly=True)
    spam_sessions = fields.Integer(readonly=True)
    abandoned = fields.Integer(
        readonly=True, help="Closed without any reply (spam excluded)."
    )
    queue_wait = fields.Float(
        "Queue Wait (min)",
        group_operator="avg",
        readonly=True,
        help="Average over the sessions that were assigned.",
    )
    queue_wait_p90 = fields.Float(
        "Queue Wait p90 (min)", group_operator="max", readonly=True
    )
    # Customer satisfaction: the sessions rated, by answer, and the average
    # of the rated ones (good 100, okay 50, bad 0; NULL when not rated, which
    # the average leaves out).
    rating = fields.Selection(
        [("good", "Good"), ("okay", "Okay"), ("bad", "Bad")], readonly=True
    )
    rated = fields.Integer("Rated Sessions", readonly=True)
    rating_good = fields.Integer("Rated Good", readonly=True)
    rating_okay = fields.Integer("Rated Okay", readonly=True)
    rating_bad = fields.Integer("Rated Bad", readonly=True)
    satisfaction = fields.Float("Satisfaction (%)", group_operator="avg", readonly=True)

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW livechat_report_chat AS (
                WITH p90 AS (
                    SELECT chat_id, date_trunc('day', first_message_date) AS day,
                           percentile_cont(0.9) WITHIN GROUP (
                               ORDER BY queue_wait) / 60.0 AS p90
                    FROM livechat_session
                    WHERE NOT is_spam AND assigned_date IS NOT NULL
                    GROUP BY 1, 2
                )
                SELECT s.id, s.first_message_date AS date, s.chat_id, s.channel,
                       extract(hour FROM local.at)::int AS hour,
                       extract(isodow FROM local.at)::text AS weekday,
                       (NOT s.is_spam)::int AS sessions,
                       s.is_spam::int AS spam_sessions,
                       (NOT s.is_spam AND s.state = 'closed'
                        AND s.first_response_date IS NULL
                        -- A merged session's customer was answered in the
                        -- other one.
                        AND s.merged_into_id IS NULL)::int AS abandoned,
                       CASE WHEN NOT s.is_spam AND s.assigned_date IS NOT NULL
                            THEN s.queue_wait / 60.0 END AS queue_wait,
                       p90.p90 AS queue_wait_p90,
                       s.rating,
                       (s.rating IS NOT NULL)::int AS rated,
                       (s.rating = 'good')::int AS rating_good,
                       (s.rating = 'okay')::int AS rating_okay,
                       (s.rating = 'bad')::int AS rating_bad,
                       s.rating_score::float AS satisfaction
                FROM livechat_session s
                JOIN livechat_chat c ON c.id = s.chat_id
                CROSS JOIN LATERAL (
                    SELECT (s.first_message_date AT TIME ZONE 'UTC')
                           AT TIME ZONE COALESCE(c.tz, 'UTC') AS at) AS local
                LEFT JOIN p90 ON p90.chat_id = s.chat_id
                 AND p90.day = date_trunc('day', s.first_message_date)
                WHERE s.first_message_date IS NOT NULL
            )"""
        )
