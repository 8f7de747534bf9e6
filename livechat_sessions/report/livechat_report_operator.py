# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class LivechatReportOperator(models.Model):
    """Operators' Performance: one row per fact (a session taken, assigned,
    transferred away or closed; a message sent; a session rated by its
    customer), so that Odoo's pivot and
    graph add them up per operator and period. Times are averaged over the
    rows that carry them (NULL elsewhere) and shown in minutes. Spam is
    left out."""

    _name = "livechat.report.operator"
    _description = "Live Chat Operators' Performance"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    operator_id = fields.Many2one("res.users", readonly=True)
    chat_id = fields.Many2one("livechat.chat", string="Live Chat", readonly=True)
    sessions_taken = fields.Integer(readonly=True)
    sessions_closed = fields.Integer(readonly=True)
    sessions_transferred = fields.Integer(readonly=True)
    messages_sent = fields.Integer(readonly=True)
    first_response_time = fields.Float(
        "First Response (min)", group_operator="avg", readonly=True
    )
    response_time = fields.Float(
        "Response Time (min)", group_operator="avg", readonly=True
    )
    handle_time = fields.Float("Handle Time (min)", group_operator="avg", readonly=True)
    # Customer satisfaction of the sessions the operator closed, on the day
    # the customer rated.
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
            CREATE VIEW livechat_report_operator AS (
                -- Ids from the facts themselves (events 3n, messages 3n+1,
                -- ratings 3n+2), not row_number(): a window function would
                -- keep the period filter from reaching the tables' date
                -- indexes.
                SELECT facts.* FROM (
                    SELECT e.id * 3 AS id, e.date, e.user_id AS operator_id,
                           s.chat_id,
                           (e.event IN ('taken', 'assigned'))::int AS sessions_taken,
                           (e.event = 'closed')::int AS sessions_closed,
                           (e.event = 'transferred')::int AS sessions_transferred,
                           0 AS messages_sent,
                           NULL::float AS first_response_time,
                           NULL::float AS response_time,
                           CASE WHEN e.event = 'closed'
                                THEN e.handle_time / 60.0 END AS handle_time,
                           0 AS rated, 0 AS rating_good, 0 AS rating_okay,
                           0 AS rating_bad, NULL::float AS satisfaction
                    FROM livechat_session_event e
                    JOIN livechat_session s ON s.id = e.session_id
                    -- A session sent to a group is nobody's work yet.
                    WHERE NOT s.is_spam AND e.event <> 'grouped'
                    UNION ALL
                    SELECT m.id * 3 + 1, m.date, m.author_user_id, s.chat_id,
                           0, 0, 0, 1,
                           CASE WHEN m.is_first_response
                                THEN s.first_response_time / 60.0 END,
                           m.response_time / 60.0,
                           NULL, 0, 0, 0, 0, NULL
                    FROM livechat_message m
                    JOIN livechat_session s ON s.id = m.session_id
                    WHERE m.direction = 'out' AND NOT s.is_spam
                      -- Asking for a rating is not an answer.
                      AND NOT COALESCE(m.is_rating_request, false)
                    UNION ALL
                    SELECT s.id * 3 + 2, s.rating_date, s.operator_id, s.chat_id,
                           0, 0, 0, 0, NULL, NULL, NULL,
                           1, (s.rating = 'good')::int, (s.rating = 'okay')::int,
                           (s.rating = 'bad')::int, s.rating_score::float
                    FROM livechat_session s
                    WHERE s.rating IS NOT NULL AND NOT s.is_spam
                ) AS facts
            )"""
        )
