# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class LivechatSessionNew(models.TransientModel):
    """+New session: an operator writes first to a customer's account.

    The session is created by ``livechat.session.create`` (which refuses an
    Offline operator, a chat they do not work in, and a customer who already
    has an open session there) and the first message is an ordinary reply,
    so it goes out through the account's channel like any other.
    """

    _name = "livechat.session.new"
    _description = "New Live Chat Session"

    chat_id = fields.Many2one(
        "livechat.chat", string="Live Chat", required=True,
        domain=lambda self: self._domain_chat(),
        default=lambda self: self._default_chat())
    account_id = fields.Many2one(
        "livechat.account", string="Customer", required=True,
        help="The customer's account on a channel: the session and its "
        "messages go through that channel.")
    channel = fields.Selection(related="account_id.channel", readonly=True)
    body = fields.Text("First Message", required=True)

    @api.model
    def _domain_chat(self):
        return [("id", "in", self.env["livechat.chat"]._staffed_by_me().ids)]

    @api.model
    def _default_chat(self):
        chats = self.env["livechat.chat"]._staffed_by_me()
        return chats[:1].id if len(chats) == 1 else False

    @api.multi
    def action_start(self):
        """Create the session, send the first message, open it in the
        workspace."""
        self.ensure_one()
        if not (self.body or "").strip():
            raise UserError(_("Write the first message."))
        session = self.env["livechat.session"].create({
            "chat_id": self.chat_id.id, "account_id": self.account_id.id})
        session.reply(self.body)
        return {
            "type": "ir.actions.client",
            "tag": "livechat_workspace",
            "name": _("Live Chats"),
            "target": "main",
            "params": {"chat_id": session.chat_id.id, "session_id": session.id},
        }
