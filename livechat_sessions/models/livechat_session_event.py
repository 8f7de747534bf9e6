# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class LivechatSessionEvent(models.Model):
    """What happened to a session and for whom: taken, assigned, transferred
    away, closed. The Operators' Performance report counts these."""

    _name = "livechat.session.event"
    _description = "Live Chat Session Event"
    _order = "date, id"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade")
    event = fields.Selection(
        [("taken", "Taken"), ("assigned", "Assigned"),
         ("transferred", "Transferred away"), ("closed", "Closed")],
        required=True)
    user_id = fields.Many2one("res.users", string="Operator", index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    handle_time = fields.Float(
        help="Closed events: seconds from assignment to closing.")

    @api.model
    def _record(self, session, event, user, handle_time=None):
        self.sudo().create({"session_id": session.id, "event": event,
                            "user_id": user.id, "handle_time": handle_time})
