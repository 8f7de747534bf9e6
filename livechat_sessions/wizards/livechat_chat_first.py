# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class LivechatChatFirst(models.TransientModel):
    """The first live chat, created from the workspace the first time an
    administrator opens it; then its settings open. Later ones are added
    from Settings -> Live Chats."""

    _name = "livechat.chat.first"
    _description = "First Live Chat"

    name = fields.Char(required=True, default=lambda self: _("Customer Support"))
    operator_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_first_operator_rel",
        "wizard_id",
        "group_id",
        string="Operator Groups",
        required=True,
        default=lambda self: self._default_group("operator"),
        help="Their members answer the customers.",
    )
    supervisor_group_ids = fields.Many2many(
        "res.groups",
        "livechat_chat_first_supervisor_rel",
        "wizard_id",
        "group_id",
        string="Supervisor Groups",
        required=True,
        default=lambda self: self._default_group("supervisor"),
        help="Their members watch every session and assign them.",
    )

    @api.model
    def _default_group(self, role):
        return self.env.ref("livechat_sessions.group_livechat_%s" % role)

    @api.multi
    def action_create(self):
        """Create the live chat (as its administrator: the access rights
        decide) and open its settings."""
        self.ensure_one()
        chat = self.env["livechat.chat"].create(
            {
                "name": self.name,
                "operator_group_ids": [(6, 0, self.operator_group_ids.ids)],
                "supervisor_group_ids": [(6, 0, self.supervisor_group_ids.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "livechat.chat",
            "res_id": chat.id,
            "views": [[False, "form"]],
            "target": "main",
        }
