# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LivechatSessionBinding(models.Model):
    """A record of a business app (a contact, a lead, ...) bound to a session,
    so that the record shows the conversation (+Bind in the workspace)."""

    _name = "livechat.session.binding"
    _description = "Live Chat Session Binding"
    _order = "id"

    session_id = fields.Many2one(
        "livechat.session", required=True, index=True, ondelete="cascade"
    )
    res_model = fields.Char("Model", required=True, index=True)
    res_id = fields.Integer("Record ID", required=True, index=True)
    display_name = fields.Char(compute="_compute_display_name")

    _sql_constraints = [
        (
            "record_uniq",
            "unique(session_id, res_model, res_id)",
            "This record is already bound to the session.",
        ),
    ]

    @api.depends("res_model", "res_id")
    def _compute_display_name(self):
        for binding in self:
            record = self.env[binding.res_model].browse(binding.res_id)
            binding.display_name = record.exists().display_name or _("(deleted)")

    @api.constrains("session_id", "res_model")
    def _check_model(self):
        for binding in self:
            allowed = (
                binding.session_id.chat_id.bind_model_ids
                | binding.session_id.chat_id.register_model_ids
            ).mapped("model")
            if binding.res_model not in allowed:
                raise ValidationError(
                    _("Live chat %s is not configured to bind records of %s.")
                    % (binding.session_id.chat_id.name, binding.res_model)
                )
