# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LivechatSessionSeen(models.Model):
    """Up to which message a user has read a session.

    Unread counters are derived from this row (messages after it), so taking
    a customer's message in costs no write per watcher.
    """

    _name = "livechat.session.seen"
    _description = "Live Chat Session Seen Marker"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    last_seen_message_id = fields.Integer(required=True, default=0)

    _sql_constraints = [
        (
            "session_user_uniq",
            "unique(session_id, user_id)",
            "One seen marker per user and session.",
        ),
    ]

    @api.model
    def _mark(self, session, user):
        """Move the user's marker to the session's last message.

        One upsert: two tabs of the same user marking at once cannot create
        two rows, and the marker never moves backwards.
        """
        self.env.cr.execute(
            """INSERT INTO livechat_session_seen
                 (session_id, user_id, last_seen_message_id, create_uid,
                  create_date, write_uid, write_date)
               SELECT %(session)s, %(user)s, COALESCE(max(id), 0), %(user)s,
                      now() AT TIME ZONE 'UTC', %(user)s, now() AT TIME ZONE 'UTC'
               FROM livechat_message WHERE session_id = %(session)s
               ON CONFLICT (session_id, user_id) DO UPDATE
               SET last_seen_message_id = GREATEST(
                       livechat_session_seen.last_seen_message_id,
                       EXCLUDED.last_seen_message_id),
                   write_date = EXCLUDED.write_date""",
            {"session": session.id, "user": user.id},
        )
        self.invalidate_cache()
