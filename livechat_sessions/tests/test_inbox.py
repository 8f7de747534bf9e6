# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from odoo.exceptions import AccessError

from .common import LivechatCase


class TestInbox(LivechatCase):
    """Session events told in Discuss's Inbox: a new session to the chat's
    operators, an assignment to the assignee, a closing to the chat's
    staff; never to who acted, never to who muted the chat, never by
    email."""

    maxDiff = None

    def inbox(self, user):
        """The Live Chats notifications in ``user``'s Inbox, newest last."""
        return (
            self.env["mail.message"]
            .sudo(user)
            .search([("needaction", "=", True), ("model", "=", "livechat.session")])
            .sorted("id")
        )

    def needaction_bus(self, partner):
        channel = json.dumps(
            [self.env.cr.dbname, "ir.needaction", partner.id], separators=(",", ":")
        )
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s", (channel,)
        )
        return [json.loads(row[0]) for row in self.env.cr.fetchall()]

    def test_new_assigned_and_closed_sessions_reach_the_inbox(self):
        mails_before = self.env["mail.mail"].search_count([])
        session = self.receive("I need help", name="Nina <b>").session_id
        for user in (self.operator, self.operator2):
            [note] = self.inbox(user)
            self.assertIn("New session", note.body)
            self.assertIn("Chat A", note.body)
            # The link opens the session in the workspace; the name escaped.
            self.assertIn(
                "action=livechat_workspace&amp;chat_id=%d&amp;session_id=%d"
                % (self.chat_a.id, session.id),
                note.body,
            )
            self.assertNotIn("<b>", note.body)
            # Live: the Inbox of their open web clients updates, with the
            # message as Odoo's own notifying would send it.
            self.assertEqual(
                self.needaction_bus(user.partner_id),
                [json.loads(json.dumps(note.sudo(user).message_format()[0]))],
            )
        self.assertFalse(self.inbox(self.reader))
        self.assertFalse(self.inbox(self.operator_b))
        # The supervisor assigns it: the assignee is told, not the supervisor.
        session.sudo(self.supervisor).action_assign(user_id=self.operator2.id)
        note = self.inbox(self.operator2)[-1]
        self.assertIn("Sup A assigned session", note.body)
        self.assertEqual(len(self.inbox(self.operator)), 1)
        self.assertFalse(self.inbox(self.supervisor))
        # operator2 closes it: the chat's staff but them.
        session.sudo(self.operator2).action_close()
        self.assertIn("Op2 A closed session", self.inbox(self.operator)[-1].body)
        self.assertIn("Op2 A closed session", self.inbox(self.supervisor)[-1].body)
        self.assertEqual(len(self.inbox(self.operator2)), 2)
        # A heads-up inside Odoo: no email to anyone.
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)

    def test_a_group_assignment_tells_its_members(self):
        experts = self.env["res.groups"].create(
            {"name": "Experts", "users": [(4, self.operator2.id)]}
        )
        self.chat_a.operator_group_ids |= experts
        session = self.receive("Hi").session_id
        session.sudo(self.supervisor).action_assign(group_id=experts.id)
        self.assertIn("to Experts", self.inbox(self.operator2)[-1].body)
        self.assertEqual(len(self.inbox(self.operator)), 1)  # the new session

    def test_muted_chats_and_spam_are_silent(self):
        Workspace = self.env["livechat.workspace"]
        self.assertTrue(Workspace.sudo(self.operator).set_muted(self.chat_a.id, True))
        self.receive("Hello").session_id
        self.assertFalse(self.inbox(self.operator))
        self.assertEqual(len(self.inbox(self.operator2)), 1)
        self.assertEqual(
            Workspace.sudo(self.operator).status()["muted_chat_ids"], [self.chat_a.id]
        )
        menu = Workspace.sudo(self.operator).load()
        self.assertTrue(menu["chats"][0]["muted"])
        Workspace.sudo(self.operator).set_muted(self.chat_a.id, False)
        self.receive("Again", account="tg-2")
        self.assertEqual(len(self.inbox(self.operator)), 1)
        # Only a chat one works in; ids only.
        with self.assertRaises(AccessError):
            Workspace.sudo(self.operator).set_muted(self.chat_b.id, True)
        with self.assertRaises(AccessError):
            Workspace.sudo(self.reader).set_muted(self.chat_a.id, True)
        with self.assertRaises(Exception):
            Workspace.sudo(self.operator).set_muted("1", True)
        # Spam is never announced.
        first = self.receive("Buy now", account="tg-bad").session_id
        self.env["livechat.blocklist.rule"].create(
            {"name": "Spam", "rule_type": "account", "account_id": first.account_id.id}
        )
        first.sudo().write({"state": "closed"})
        before = len(self.inbox(self.operator2))
        self.receive("Buy now, again", account="tg-bad")
        self.assertEqual(len(self.inbox(self.operator2)), before)
