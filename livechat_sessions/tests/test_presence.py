# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The collision guard's server side: staff say they view, write in or left
a conversation, and the session's other staff are told live."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LivechatCase


class TestPresence(LivechatCase):
    def setUp(self):
        super(TestPresence, self).setUp()
        self.session = self.receive("Where is my parcel?").session_id
        if self.session.state == "queued":
            self.session.sudo(self.operator).action_take()
        self.Workspace = self.env["livechat.workspace"]
        self.env.cr.execute("DELETE FROM bus_bus")

    def presences(self, user):
        return [
            p["presence"]
            for p in self.bus_payloads(user.partner_id)
            if p["type"] == "livechat.presence"
        ]

    def test_the_sessions_staff_see_who_writes(self):
        self.Workspace.sudo(self.supervisor).set_presence(self.session.id, "viewing")
        self.Workspace.sudo(self.operator).set_presence(self.session.id, "typing")
        seen = self.presences(self.supervisor)
        self.assertIn(
            {
                "user_id": self.operator.id,
                "name": self.operator.name,
                "state": "typing",
            },
            seen,
        )
        self.assertIn(
            {
                "user_id": self.supervisor.id,
                "name": self.supervisor.name,
                "state": "viewing",
            },
            self.presences(self.operator),
        )
        # Not the chat's other operators (the session is Op A's), nor
        # another chat's staff.
        self.assertFalse(self.presences(self.operator2))
        self.assertFalse(self.presences(self.operator_b))
        # Nothing is stored but the notification.
        self.Workspace.sudo(self.operator).set_presence(self.session.id, "left")
        self.assertEqual(self.presences(self.supervisor)[-1]["state"], "left")

    def test_refusals(self):
        for user in (self.reader, self.outsider, self.operator_b):
            with self.assertRaises(AccessError, msg=user.login):
                self.Workspace.sudo(user).set_presence(self.session.id, "typing")
        for bad in ("dancing", None, 3):
            with self.assertRaises(ValidationError, msg=repr(bad)):
                self.Workspace.sudo(self.operator).set_presence(self.session.id, bad)
        with self.assertRaises(ValidationError):
            self.Workspace.sudo(self.operator).set_presence(10**9, "typing")
        self.operator.livechat_status = "offline"
        with self.assertRaises(UserError):
            self.Workspace.sudo(self.operator).set_presence(self.session.id, "typing")
        self.assertFalse(self.presences(self.supervisor))
