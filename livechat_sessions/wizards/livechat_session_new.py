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
        "livechat.chat",
        string="Live Chat",
        required=True,
        domain=lambda self: self._domain_chat(),
        default=lambda self: self._default_chat(),
        ondelete="cascade",
    )
    account_id = fields.Many2one(
        "livechat.account",
        string="Customer",
        required=True,
        # An open form never holds back erasing a customer.
        ondelete="cascade",
        help="The customer's account on a channel: the session and its "
        "messages go through that channel.",
    )
    channel = fields.Selection(related="account_id.channel", readonly=True)
    cannot_send = fields.Char(
        compute="_compute_cannot_send",
        help="Why a first message cannot go out to this customer from this "
        "chat (no connected bot, no inbox...).",
    )
    # Required in the form; the action checks it too. Not at the model level:
    # a channel may open the conversation without it (WhatsApp's template).
    body = fields.Text("First Message")

    @api.depends("chat_id", "account_id")
    def _compute_cannot_send(self):
        for wizard in self:
            wizard.cannot_send = (
                wizard.chat_id
                and wizard.account_id
                and wizard.chat_id._why_no_first_message(wizard.account_id.channel)
            ) or False

    @api.onchange("chat_id")
    def _onchange_chat_id(self):
        """The customer picker offers only accounts on channels where the
        chat's first message can leave."""
        channels = self._fields["channel"]._description_selection(self.env)
        chat = self.chat_id
        sendable = [
            key
            for key, _label in channels
            if chat and not chat._why_no_first_message(key)
        ]
        return {"domain": {"account_id": [("channel", "in", sendable)]}}

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
        # Before any channel's own checks: nothing is stored for a message
        # that could never leave (it would wait in the delivery queue).
        if self.cannot_send:
            raise UserError(self.cannot_send)
        self._check_first_message()
        session = self.env["livechat.session"].create(
            {"chat_id": self.chat_id.id, "account_id": self.account_id.id}
        )
        self._send_first_message(session)
        return {
            "type": "ir.actions.client",
            "tag": "livechat_workspace",
            "name": _("Live Chats"),
            "target": "main",
            "params": {"chat_id": session.chat_id.id, "session_id": session.id},
        }

    def _check_first_message(self):
        """Refuse, before anything is created, a first message that cannot
        be sent."""
        if not (self.body or "").strip():
            raise UserError(_("Write the first message."))

    def _why_not_now(self):
        """Why the current user cannot start this session now, beyond the
        chat's channel (``cannot_send``), as one sentence; None when they
        can. Asked before offering a channel (a reply through another of the
        customer's accounts, ``livechat.conversation.reply_channels``)."""
        try:
            self.env.user._livechat_check_online()
        except UserError as error:
            return error.name
        return None

    def _first_message_note(self):
        """How the first message leaves when not as the operator wrote it,
        as one sentence for them (channels: WhatsApp's template); None."""
        return None

    def _check_first_message_extras(self):
        """Refuse files or a quote the first message cannot carry
        (channels: WhatsApp's template carries neither)."""

    def _send_first_message(self, session):
        """The operator's first message, an ordinary reply. Channels whose
        provider opens conversations otherwise change both steps
        (livechat_channels: WhatsApp's template)."""
        return session.reply(self.body)
