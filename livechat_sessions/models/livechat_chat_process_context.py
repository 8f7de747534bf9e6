# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class LivechatChatProcessContext(models.Model):
    """One entry of the context a chat's business processes receive:
    ``key`` gets the value of the session's ``field_path``."""

    _name = "livechat.chat.process.context"
    _description = "Live Chat Business Process Context Entry"
    _order = "key"

    chat_id = fields.Many2one(
        "livechat.chat", required=True, index=True, ondelete="cascade"
    )
    key = fields.Char(required=True, help="The name the process reads, e.g. lead_name.")
    field_path = fields.Char(
        "Session field",
        required=True,
        help="A field of the session, or a path through its relations, e.g. "
        "name, account_id.name, account_id.partner_id.email.",
    )

    @api.constrains("key", "field_path")
    def _check_path(self):
        for entry in self:
            if not entry.key.isidentifier():
                raise ValidationError(_("%s is not a valid key name.") % entry.key)
            model = self.env["livechat.session"]
            for name in entry.field_path.split("."):
                field = model._fields.get(name)
                if field is None:
                    raise ValidationError(
                        _("%s: the session has no field path %s.")
                        % (entry.key, entry.field_path)
                    )
                if field.relational:
                    model = self.env[field.comodel_name]

    def _value(self, session):
        value = session
        for name in self.field_path.split("."):
            value = value[name]
        if isinstance(value, models.BaseModel):
            return value.ids if len(value) != 1 else value.id
        return value
