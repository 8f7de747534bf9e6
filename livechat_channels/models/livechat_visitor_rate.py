# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.livechat_sessions.tools.transaction import run_with_retry


class LivechatVisitorRate(models.Model):
    """Fixed-window counters limiting what one visitor or one IP address
    may send to the public website chat routes.

    Counted in PostgreSQL (one upsert), so every Odoo worker and server
    shares the same counts; each count runs in a transaction of its own,
    retried on a concurrent update, and is kept even when the request fails.
    """

    _name = "livechat.visitor.rate"
    _description = "Live Chat Visitor Rate Counter"
    _log_access = False

    key = fields.Char(required=True, index=True)
    window_start = fields.Datetime(required=True)
    count = fields.Integer(required=True)

    _sql_constraints = [("key_uniq", "unique(key)", "One counter per key.")]

    @api.model
    def _hit(self, keys_limits, window_seconds=60):
        """Count one hit for each key; True when every key stays within its
        limit in the current window. ``keys_limits``: [(key, limit)]."""

        def work(env):
            allowed = True
            for key, limit in keys_limits:
                env.cr.execute(
                    """INSERT INTO livechat_visitor_rate (key, window_start, count)
                       VALUES (%(key)s, now() AT TIME ZONE 'UTC', 1)
                       ON CONFLICT (key) DO UPDATE SET
                         count = CASE WHEN livechat_visitor_rate.window_start
                                      < (now() AT TIME ZONE 'UTC') - %(window)s
                                      * interval '1 second'
                                 THEN 1 ELSE livechat_visitor_rate.count + 1 END,
                         window_start = CASE WHEN livechat_visitor_rate.window_start
                                      < (now() AT TIME ZONE 'UTC') - %(window)s
                                      * interval '1 second'
                                 THEN now() AT TIME ZONE 'UTC'
                                 ELSE livechat_visitor_rate.window_start END
                       RETURNING count""",
                    {"key": key, "window": window_seconds},
                )
                if env.cr.fetchone()[0] > limit:
                    allowed = False
            return allowed

        return run_with_retry(self.env.registry, work)

    @api.model
    def _gc(self):
        """Forget windows older than a day (cron)."""
        self.env.cr.execute(
            "DELETE FROM livechat_visitor_rate WHERE window_start < "
            "(now() AT TIME ZONE 'UTC') - interval '1 day'"
        )
