# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    livechat_status = fields.Selection(
        [("online", "Online"), ("offline", "Offline")],
        string="Live Chat Status",
        default="offline",
        required=True,
        help="Offline operators and supervisors can only view sessions.",
    )

    def __init__(self, pool, cr):
        # Every user switches their own status, like their signature.
        super(ResUsers, self).__init__(pool, cr)
        type(self).SELF_WRITEABLE_FIELDS = list(
            set(self.SELF_WRITEABLE_FIELDS) | {"livechat_status"}
        )
        type(self).SELF_READABLE_FIELDS = list(
            set(self.SELF_READABLE_FIELDS) | {"livechat_status"}
        )

    @api.model
    def livechat_set_status(self, status):
        """Switch the current user Online or Offline (workspace, systray)."""
        if status not in ("online", "offline"):
            raise UserError(_("Unknown status %r: use online or offline.") % status)
        self.env.user.sudo().livechat_status = status
        return status

    def _livechat_check_online(self):
        """Raise unless this user (usually ``env.user``) may act on sessions.

        The superuser acts for the channels and the system, never Offline.
        """
        self.ensure_one()
        if self.id != SUPERUSER_ID and self.livechat_status != "online":
            raise UserError(
                _("You are Offline: you can view sessions but not reply, take, "
                  "create or change them. Switch to Online first.")
            )
