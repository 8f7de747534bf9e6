# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Notifications of a session: who follows it and what the bus carries of
it (bus.bus._livechat_notify writes and wakes)."""
from odoo import models


class LivechatSession(models.Model):
    _inherit = "livechat.session"

    @staticmethod
    def _audience(values):
        """Who follows a session (``values`` as :meth:`_bus_values` gives
        them): its operator, else its group, else the chat's operators; and
        always the chat's supervisors. Keyword arguments of
        ``bus.bus._livechat_notify``."""
        if values["operator_id"]:
            return {"chat_id": values["chat_id"], "user_id": values["operator_id"]}
        if values["group_id"]:
            return {"chat_id": values["chat_id"], "group_id": values["group_id"]}
        return {"chat_id": values["chat_id"], "operators": True}

    def _bus_values(self):
        self.ensure_one()
        return {
            "session_id": self.id,
            "chat_id": self.chat_id.id,
            "name": self.name,
            "session_state": self.state,
            "operator_id": self.operator_id.id,
            "group_id": self.group_id.id,
            "is_spam": self.is_spam,
        }

    def _notify_staff(self, kind, message_values=None, values=None, audience=None):
        """Wake the people concerned by a session event (one INSERT).

        ``message_values``: the message as :meth:`livechat.message._to_bus`
        gives it, for events that carry one; ``values``: the session as
        :meth:`_bus_values` gives it, when the caller already holds them;
        ``audience``: keyword arguments of ``bus.bus._livechat_notify`` in
        place of the default (the session's followers for a message, the
        chat's whole staff for other events).
        """
        values = values or self._bus_values()
        payload = dict(values, type=kind)
        if message_values:
            payload["message"] = message_values
        Bus = self.env["bus.bus"]
        if kind == "livechat.message":
            Bus._livechat_notify(payload, **(audience or self._audience(values)))
        else:
            # The queue counters of the chat's whole team may have moved:
            # the payload's "queued" is counted by the notifying statement.
            self.env["livechat.chat"].invalidate_cache(
                ["queued_count", "active_count"], [values["chat_id"]]
            )
            Bus._livechat_notify(
                payload,
                queued_of=values["chat_id"],
                **(audience or {"chat_id": values["chat_id"], "operators": True}),
            )
