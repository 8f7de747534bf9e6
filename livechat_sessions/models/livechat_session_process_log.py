# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

EVENTS = [
    ("create", "Session created"),
    ("message", "Customer message"),
    ("close", "Session closed"),
    ("rated_low", "Rated bad by the customer"),
    ("manual", "Started by hand"),
]


class LivechatSessionProcessLog(models.Model):
    """One run of a business process (a server action) for a session: what
    ran, on which event, and how it ended. Failures are kept here so that a
    supervisor sees them on the session."""

    _name = "livechat.session.process.log"
    _description = "Live Chat Business Process Run"
    _order = "id desc"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade"
    )
    action_id = fields.Many2one(
        "ir.actions.server", string="Process", required=True, ondelete="cascade"
    )
    event = fields.Selection(EVENTS, required=True)
    state = fields.Selection([("done", "Done"), ("failed", "Failed")], required=True)
    error = fields.Text()
    user_id = fields.Many2one("res.users", string="Run as")
