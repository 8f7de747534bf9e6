# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError

from .common import LivechatCase


class TestWorkspace(LivechatCase):
    """The workspace's left menu, lists and conversation, per role."""

    def counts(self, user, chat=None):
        menu = self.env["livechat.workspace"].sudo(user).load()
        chat = chat or self.chat_a
        entry = [c for c in menu["chats"] if c["id"] == chat.id]
        return entry and {g["group"]: g["count"] for g in entry[0]["groups"]}

    def test_menu_and_counters_per_role(self):
        queued = self.receive("Hello", account="tg-1").session_id
        self.receive("Hi", account="tg-2").session_id.sudo(self.operator).action_take()
        self.assertEqual(
            self.counts(self.operator), {"queue": 1, "mine": 1, "closed": 0}
        )
        self.assertEqual(
            self.counts(self.operator2), {"queue": 1, "mine": 0, "closed": 0}
        )
        self.assertEqual(
            self.counts(self.supervisor),
            {"queue": 1, "mine": 0, "active": 1, "closed": 0},
        )
        # Chat B is not the operator's: not in their menu.
        self.assertFalse(self.counts(self.operator, self.chat_b))
        queued.sudo(self.operator2).action_take()
        self.assertEqual(self.counts(self.operator2)["mine"], 1)
        self.assertEqual(self.counts(self.operator)["queue"], 0)
        # Spam leaves the counters.
        queued.sudo(self.supervisor).action_mark_spam()
        self.assertEqual(self.counts(self.supervisor)["active"], 1)

    def test_readers_and_others_have_no_workspace(self):
        for user in (self.reader, self.outsider):
            with self.assertRaises(AccessError):
                self.env["livechat.workspace"].sudo(user).load()
            with self.assertRaises(AccessError):
                self.env["livechat.workspace"].sudo(user).sessions(
                    self.chat_a.id, "queue"
                )

    def test_lists_search_and_pages(self):
        for i in range(45):
            self.receive("Hello %d" % i, account="tg-%d" % i, name="Cust %02d" % i)
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        page = Workspace.sessions(self.chat_a.id, "queue")
        self.assertEqual(page["count"], 45)
        self.assertEqual(len(page["sessions"]), page["page_size"])
        rest = Workspace.sessions(self.chat_a.id, "queue", offset=page["page_size"])
        self.assertEqual(len(rest["sessions"]), 45 - page["page_size"])
        found = Workspace.sessions(self.chat_a.id, "queue", search="Cust 07")
        self.assertEqual(
            [s["name"] for s in found["sessions"]][:1],
            [
                s["name"]
                for s in page["sessions"] + rest["sessions"]
                if "Cust 07" in s["name"]
            ],
        )
        self.assertEqual(found["count"], 1)

    def test_refusals(self):
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        with self.assertRaises(AccessError):  # supervisors only
            Workspace.sessions(self.chat_a.id, "active")
        with self.assertRaises(AccessError):  # not their chat
            Workspace.sessions(self.chat_b.id, "queue")
        with self.assertRaises(ValidationError):
            Workspace.sessions(self.chat_a.id, "everything")
        with self.assertRaises(ValidationError):
            Workspace.sessions("a", "queue")

    def test_status_switch_and_reply(self):
        session = self.receive("Hello", account="tg-1").session_id
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        self.assertEqual(Workspace.set_status("offline"), "offline")
        # A new RPC starts from a fresh cache.
        self.env["res.users"].invalidate_cache()
        self.assertEqual(Workspace.load()["status"], "offline")
        self.assertFalse(Workspace.messages(session.id)["session"]["can_reply"])
        Workspace.set_status("online")
        data = Workspace.messages(session.id, mark_seen=True)
        self.assertTrue(data["session"]["can_reply"])
        message = Workspace.reply(session.id, "On it")
        self.assertEqual(message["direction"], "out")
        self.assertEqual(session.operator_id, self.operator)  # replying took it
        self.assertEqual(self.counts(self.operator)["mine"], 1)

    def test_assignees_for_the_chats_staff_only(self):
        data = (
            self.env["livechat.workspace"]
            .sudo(self.supervisor)
            .assignees(self.chat_a.id)
        )
        self.assertEqual(
            {u["id"] for u in data["users"]}, {self.operator.id, self.operator2.id}
        )
        self.assertEqual([g["id"] for g in data["groups"]], self.team_a.ids)
        # The chat's operators too (they hand their own sessions on).
        self.assertEqual(
            self.env["livechat.workspace"]
            .sudo(self.operator)
            .assignees(self.chat_a.id),
            data,
        )
        with self.assertRaises(AccessError):
            self.env["livechat.workspace"].sudo(self.operator_b).assignees(
                self.chat_a.id
            )
        with self.assertRaises(AccessError):
            self.env["livechat.workspace"].sudo(self.supervisor).assignees(
                self.chat_b.id
            )

    def test_search_names_across_every_group_of_every_chat(self):
        Workspace = self.env["livechat.workspace"]
        queued = self.receive("Hi", account="s-1", name="Zelda One").session_id
        mine = self.receive("Hi", account="s-2", name="Zelda Two").session_id
        mine.sudo(self.operator).action_take()
        theirs = self.receive("Hi", account="s-3", name="Zelda Three").session_id
        theirs.sudo(self.operator2).action_take()
        closed = self.receive("Hi", account="s-4", name="Zelda Four").session_id
        closed.sudo(self.operator).action_take()
        closed.sudo(self.operator).action_close()
        self.receive("Hi", chat=self.chat_b, account="s-5", name="Zelda Five")
        found = Workspace.sudo(self.operator).search_sessions("zelda")
        groups = {row["id"]: row["group"] for row in found["sessions"]}
        # The operator's groups: queue, mine, closed; not a colleague's
        # active session, nor another chat's.
        self.assertEqual(
            groups, {queued.id: "queue", mine.id: "mine", closed.id: "closed"}
        )
        self.assertEqual(found["count"], 3)
        self.assertEqual(found["sessions"][0]["chat"]["name"], "Chat A")
        # The supervisor also finds the colleague's active session.
        found = Workspace.sudo(self.supervisor).search_sessions("  Zelda ")
        self.assertEqual(
            {row["id"] for row in found["sessions"]} - set(groups), {theirs.id}
        )
        for bad in ("", "x" * 201, 42):
            with self.assertRaises(ValidationError):
                Workspace.sudo(self.operator).search_sessions(bad)

    def test_systray_status(self):
        session = self.receive("Hello", account="tg-1").session_id
        session.sudo(self.operator).action_take()
        self.receive("Still there?", account="tg-1")
        data = self.env["livechat.workspace"].sudo(self.operator).status()
        self.assertEqual(
            data,
            {
                "status": "online",
                "unread_total": 2,
                "unread": {session.id: 2},
                "queued_total": 0,
                "muted_chat_ids": [],
            },
        )
        # A customer nobody has taken yet: counted on every screen.
        self.receive("Anyone?", account="tg-2")
        data = self.env["livechat.workspace"].sudo(self.operator).status()
        self.assertEqual(data["queued_total"], 1)
        with self.assertRaises(AccessError):
            self.env["livechat.workspace"].sudo(self.reader).status()

    def test_next_queued_session_for_the_queue_counter(self):
        Workspace = self.env["livechat.workspace"]
        self.assertFalse(Workspace.sudo(self.operator).next_queued())
        first = self.receive("First", account="tg-1").session_id
        second = self.receive("Second", account="tg-2").session_id
        third = self.receive("Third", account="tg-3").session_id
        first.first_message_date = "2026-01-01 10:00:00"
        second.first_message_date = "2026-01-01 09:00:00"
        third.first_message_date = "2026-01-01 11:00:00"
        # The oldest first...
        self.assertEqual(
            Workspace.sudo(self.operator).next_queued(),
            {"session_id": second.id, "chat_id": self.chat_a.id},
        )
        # ...after the highest priority; spam never.
        third.priority = "3"
        self.assertEqual(
            Workspace.sudo(self.operator).next_queued()["session_id"], third.id
        )
        third.sudo(self.supervisor).action_mark_spam()
        self.assertEqual(
            Workspace.sudo(self.operator).next_queued()["session_id"], second.id
        )
        # Only in the chats the user operates: the supervisor of chat A and
        # the operator of chat B have no next session there.
        self.assertFalse(Workspace.sudo(self.supervisor).next_queued())
        self.assertFalse(Workspace.sudo(self.operator_b).next_queued())
        with self.assertRaises(AccessError):
            Workspace.sudo(self.reader).next_queued()

    def test_menu_links_follow_access_rights(self):
        def links(user):
            menu = self.env["livechat.workspace"].sudo(user).load()
            return {
                link["label"] for section in menu["links"] for link in section["links"]
            }

        operator_links = links(self.operator)
        self.assertIn("Sessions", operator_links)
        self.assertIn("Templates", operator_links)
        self.assertIn("Accounts", operator_links)
        self.assertNotIn("Operators' Performance", operator_links)
        self.assertNotIn("Live Chats", operator_links)  # the chats' settings
        self.assertIn("Operators' Performance", links(self.supervisor))
        self.assertIn("Live Chats", links(self.supervisor))

    def test_customer_and_bind(self):
        session = self.receive("Hi", account="tg-9", name="Bob").session_id
        session.sudo(self.operator).action_take()
        partner_model = self.env.ref("base.model_res_partner")
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        before = Workspace.customer(session.id)
        self.assertEqual(before["apps"], [])
        # A customer from a messenger: no contact yet, no Odoo user.
        self.assertIs(before["partner"], False)
        self.assertIs(before["user"], False)
        partner = self.env["res.partner"].create({"name": "Robert Customer"})
        # An app to bind accounts: the account joins the contact's Accounts.
        self.chat_a.bind_model_ids = partner_model
        info = Workspace.bind(session.id, "res.partner", partner.id)
        self.assertEqual(session.account_id.partner_id, partner)
        self.assertEqual(info["partner"]["id"], partner.id)
        self.assertEqual(info["account"]["name"], "Bob")
        self.assertEqual(
            info["apps"][0]["records"], [{"id": partner.id, "name": "Robert Customer"}]
        )
        # An app to register messages: the record is bound to the session.
        self.chat_a.write(
            {
                "bind_model_ids": [(5,)],
                "register_model_ids": [(6, 0, partner_model.ids)],
            }
        )
        other = self.env["res.partner"].create({"name": "Acme Corp"})
        info = Workspace.bind(session.id, "res.partner", other.id)
        self.assertEqual(session.binding_ids.mapped("res_id"), [other.id])
        self.assertIn({"id": other.id, "name": "Acme Corp"}, info["apps"][0]["records"])
        Workspace.bind(session.id, "res.partner", other.id)  # bound once
        self.assertEqual(len(session.binding_ids), 1)
        # Refused: an app the chat does not bind, a missing record, a reader,
        # an Offline operator.
        with self.assertRaises(ValidationError):
            Workspace.bind(session.id, "res.users", self.operator.id)
        with self.assertRaises(ValidationError):
            Workspace.bind(session.id, "res.partner", 999999)
        with self.assertRaises(AccessError):
            self.env["livechat.workspace"].sudo(self.reader).bind(
                session.id, "res.partner", other.id
            )
        self.operator.livechat_status = "offline"
        with self.assertRaises(UserError):
            Workspace.bind(session.id, "res.partner", other.id)

    def test_first_live_chat_for_the_administrator(self):
        Workspace = self.env["livechat.workspace"]
        self.manager.groups_id |= self.group_operator
        self.assertFalse(Workspace.sudo(self.manager).load()["first_run"])
        self.env["livechat.chat"].search([]).write({"active": False})
        self.assertTrue(Workspace.sudo(self.manager).load()["first_run"])
        # Operators wait for an administrator.
        self.assertFalse(Workspace.sudo(self.operator).load()["first_run"])
        wizard = (
            self.env["livechat.chat.first"]
            .sudo(self.manager)
            .create({"name": "Help Desk"})
        )
        action = wizard.action_create()
        chat = self.env["livechat.chat"].browse(action["res_id"])
        self.assertEqual(
            (action["res_model"], chat.name), ("livechat.chat", "Help Desk")
        )
        self.assertEqual(chat.operator_group_ids, self.group_operator)
        self.assertEqual(chat.supervisor_group_ids, self.group_supervisor)
        self.assertFalse(Workspace.sudo(self.manager).load()["first_run"])
        with self.assertRaises(AccessError):  # only administrators create chats
            self.env["livechat.chat.first"].sudo(self.supervisor).create(
                {"name": "Mine"}
            ).action_create()
