# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools


class LivechatReportOperator(models.Model):
    """Operators' Performance: one row per fact (a session taken, assigned,
    transferred away or closed; a message sent), so that Odoo's pivot and
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

    @api.model_cr
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW livechat_report_operator AS (
                -- Ids from the facts themselves (events even, messages odd),
                -- not row_number(): a window function would keep the
                -- period filter from reaching the tables' date indexes.
                SELECT facts.* FROM (
                    SELECT e.id * 2 AS id, e.date, e.user_id AS operator_id,
                           s.chat_id,
                           (e.event IN ('taken', 'assigned'))::int AS sessions_taken,
                           (e.event = 'closed')::int AS sessions_closed,
                           (e.event = 'transferred')::int AS sessions_transferred,
                           0 AS messages_sent,
                           NULL::float AS first_response_time,
                           NULL::float AS response_time,
                           CASE WHEN e.event = 'closed'
                                THEN e.handle_time / 60.0 END AS handle_time
                    FROM livechat_session_event e
                    JOIN livechat_session s ON s.id = e.session_id
                    -- A session sent to a group is nobody's work yet.
                    WHERE NOT s.is_spam AND e.event <> 'grouped'
                    UNION ALL
                    SELECT m.id * 2 + 1, m.date, m.author_user_id, s.chat_id,
                           0, 0, 0, 1,
                           CASE WHEN m.is_first_response
                                THEN s.first_response_time / 60.0 END,
                           m.response_time / 60.0,
                           NULL
                    FROM livechat_message m
                    JOIN livechat_session s ON s.id = m.session_id
                    WHERE m.direction = 'out' AND NOT s.is_spam
                ) AS facts
            )"""
        )
