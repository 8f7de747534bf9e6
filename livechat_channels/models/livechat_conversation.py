# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from odoo.addons.livechat_sessions.models.livechat_conversation import MESSAGE_PAGE


class LivechatConversation(models.AbstractModel):
    _inherit = "livechat.conversation"

    @api.model
    def messages(
        self,
        session_id,
        before_id=0,
        limit=MESSAGE_PAGE,
        mark_seen=False,
        timeline=False,
    ):
        """Also the session's replies scheduled to be sent later (and those
        that could not be sent), for the staff, and whether the caller may
        schedule one (the checks of ``livechat.session.schedule_reply``)."""
        data = super(LivechatConversation, self).messages(
            session_id,
            before_id=before_id,
            limit=limit,
            mark_seen=mark_seen,
            timeline=timeline,
        )
        session = self._session(session_id)
        shown = self._shows_notes and data["session"]["can_note"]
        data["session"]["can_schedule"] = bool(
            shown and data["session"]["can_reply"] and session.state != "queued"
        )
        data["scheduled"] = (
            self.env["livechat.scheduled.reply"]
            .sudo()
            .search(
                [
                    ("session_id", "=", session.id),
                    ("state", "in", ("scheduled", "failed")),
                ]
            )
            ._rows(self.env.user)
            if shown
            else []
        )
        return data
