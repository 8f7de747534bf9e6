# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LivechatSessionEvent(models.Model):
    """What happened to a session and for whom: taken, assigned (to an
    operator or to a group), transferred away, closed. The Operators'
    Performance report counts these; the conversation shows them as lines
    between the messages ("Assigned to Oscar by Sally")."""

    _name = "livechat.session.event"
    _description = "Live Chat Session Event"
    _order = "date, id"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade"
    )
    event = fields.Selection(
        [
            ("taken", "Taken"),
            ("assigned", "Assigned"),
            ("grouped", "Assigned to a group"),
            ("transferred", "Transferred away"),
            ("closed", "Closed"),
            ("merged", "Merged into another session"),
            ("moved", "Moved to another live chat"),
        ],
        required=True,
    )
    user_id = fields.Many2one("res.users", string="Operator", index=True)
    group_id = fields.Many2one("res.groups", ondelete="set null")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    handle_time = fields.Float(
        help="Closed events: seconds from assignment to closing."
    )

    @api.model
    def _record(self, session, event, user, handle_time=None, group=None):
        """Append one event. An INSERT, not the ORM's create: routing writes
        one with every session it assigns, and the log has nothing the ORM
        would add (no computed field, no tracking, written by the system)."""
        if event not in dict(self._fields["event"].selection):
            raise ValueError("Unknown session event %r" % event)
        self.env.cr.execute(
            """INSERT INTO livechat_session_event
                   (session_id, event, user_id, group_id, handle_time, date,
                    create_uid, create_date, write_uid, write_date)
               VALUES (%(session)s, %(event)s, %(user)s, %(group)s, %(handle)s,
                       now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC',
                       %(uid)s, now() AT TIME ZONE 'UTC')""",
            {
                "session": session.id,
                "event": event,
                "user": user.id or None,
                "group": group and group.id or None,
                "handle": handle_time,
                "uid": self.env.uid,
            },
        )
