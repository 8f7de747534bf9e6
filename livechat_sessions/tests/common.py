# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import functools
import json
import threading
import uuid

import odoo
from odoo.tests.common import SavepointCase, TransactionCase, at_install, post_install

from ..tools.transaction import run_with_retry


@at_install(False)
@post_install(True)
class LivechatCase(SavepointCase):
    """Two live chats (A and B) with their own team groups, and one user per
    role working in chat A only.

    Customers write from the "messenger" and "mailbox" channels of the test
    addon livechat_test_customers (this addon owns only the employees'
    channel): the tests run after every addon is installed."""

    @classmethod
    def setUpClass(cls):
        super(LivechatCase, cls).setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        ref = cls.env.ref
        # Demo chats use the role groups as their teams: put them aside so
        # every test sees only its own chats A and B.
        demo = cls.env["livechat.chat"].search([])
        demo.mapped("session_ids").unlink()
        demo.write({"active": False})
        cls.group_operator = ref("livechat_sessions.group_livechat_operator")
        cls.group_supervisor = ref("livechat_sessions.group_livechat_supervisor")
        cls.group_reader = ref("livechat_sessions.group_livechat_reader")
        cls.group_manager = ref("livechat_sessions.group_livechat_manager")
        Groups = cls.env["res.groups"]
        cls.team_a = Groups.create({"name": "Team A operators"})
        cls.leads_a = Groups.create({"name": "Team A supervisors"})
        cls.readers_a = Groups.create({"name": "Team A readers"})
        cls.team_b = Groups.create({"name": "Team B operators"})
        cls.leads_b = Groups.create({"name": "Team B supervisors"})
        cls.readers_b = Groups.create({"name": "Team B readers"})

        cls.operator = cls._user("op_a", cls.group_operator, cls.team_a)
        cls.operator2 = cls._user("op2_a", cls.group_operator, cls.team_a)
        cls.supervisor = cls._user("sup_a", cls.group_supervisor, cls.leads_a)
        cls.reader = cls._user("reader_a", cls.group_reader, cls.readers_a)
        cls.manager = cls._user("manager", cls.group_manager)
        cls.outsider = cls._user("outsider", cls.env.ref("base.group_user"))
        cls.operator_b = cls._user("op_b", cls.group_operator, cls.team_b)

        cls.chat_a = cls._chat("Chat A", cls.team_a, cls.leads_a, cls.readers_a)
        cls.chat_b = cls._chat("Chat B", cls.team_b, cls.leads_b, cls.readers_b)

    @classmethod
    def _chat(cls, name, operators, supervisors, readers):
        return cls.env["livechat.chat"].create(
            {
                "name": name,
                "operator_group_ids": [(6, 0, operators.ids)],
                "supervisor_group_ids": [(6, 0, supervisors.ids)],
                "reader_group_ids": [(6, 0, readers.ids)],
                "tz": "UTC",
            }
        )

    @classmethod
    def _user(cls, login, *groups):
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": "%s@example.com" % login,
                "livechat_status": "online",
                "groups_id": [(6, 0, [g.id for g in groups])],
            }
        )

    def receive(
        self,
        body="Hello",
        chat=None,
        channel="messenger",
        account="tg-1",
        name="Ann",
        **kwargs,
    ):
        return (chat or self.chat_a)._receive_message(
            channel, {"external_id": account, "name": name}, body, **kwargs
        )

    def bus_payloads(self, partner):
        """Live Chats notifications queued for ``partner`` in this test."""
        channel = json.dumps(
            [self.env.cr.dbname, "res.partner", partner.id], separators=(",", ":")
        )
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE channel = %s ORDER BY id", (channel,)
        )
        payloads = [json.loads(row[0]) for row in self.env.cr.fetchall()]
        return [p for p in payloads if str(p.get("type", "")).startswith("livechat.")]


# After installation: at install time the module's own transaction still
# holds locks that other cursors would wait on.
@at_install(False)
@post_install(True)
class CommittedChatCase(TransactionCase):
    """A live chat, its team (operators and supervisors) and two Online
    operators, committed in setUp in cursors of their own (so that other
    transactions see them: races, jobs) and removed in tearDown. The test
    case's own cursor never sees them."""

    def setUp(self):
        super(CommittedChatCase, self).setUp()
        self.tag = uuid.uuid4().hex[:8]
        self.registry = odoo.registry(self.env.cr.dbname)

        def create(env):
            team = env["res.groups"].create({"name": "Race team %s" % self.tag})
            users = env["res.users"].with_context(no_reset_password=True)
            ops = [
                users.create(
                    {
                        "name": "Racer %d %s" % (i, self.tag),
                        "login": "racer%d-%s" % (i, self.tag),
                        "livechat_status": "online",
                        "groups_id": [
                            (
                                6,
                                0,
                                [
                                    env.ref(
                                        "livechat_sessions.group_livechat_operator"
                                    ).id,
                                    team.id,
                                ],
                            )
                        ],
                    }
                ).id
                for i in (1, 2)
            ]
            chat = env["livechat.chat"].create(
                {
                    "name": "Race chat %s" % self.tag,
                    "operator_group_ids": [(6, 0, team.ids)],
                    "supervisor_group_ids": [(6, 0, team.ids)],
                }
            )
            return chat.id, ops

        self.chat_id, self.operator_ids = run_with_retry(self.registry, create)

    @staticmethod
    def _in_threads(*functions):
        """Run each function in its own thread, started together; return what
        each returned or raised."""
        barrier = threading.Barrier(len(functions))
        results = [None] * len(functions)

        def target(index, function):
            barrier.wait()
            try:
                results[index] = function()
            except Exception as error:  # pylint: disable=broad-except
                # Collected and asserted on by the test.
                results[index] = error

        threads = [
            threading.Thread(target=target, args=(i, f))
            for i, f in enumerate(functions)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return results

    def race(self, *works, uid=None):
        """Run ``works`` (functions of an environment) at the same moment,
        each in a thread and a transaction of its own, retried on a
        serialization failure as Odoo's RPC does; returns what each
        returned, or the exception it ended with."""
        return self._in_threads(
            *[
                functools.partial(run_with_retry, self.registry, work, uid=uid)
                for work in works
            ]
        )

    def commit_message(self, account, body, name="Ann"):
        """A customer's message through the way in, in a committed
        transaction of its own (retried as the channels do); its id."""

        def work(env):
            return (
                env["livechat.chat"]
                .browse(self.chat_id)
                ._receive_message(
                    "messenger", {"external_id": account, "name": name}, body
                )
                .id
            )

        return run_with_retry(self.registry, work)

    def tearDown(self):
        def cleanup(env):
            chat = env["livechat.chat"].browse(self.chat_id)
            accounts = chat.session_ids.mapped("account_id")
            chat.session_ids.unlink()
            accounts.unlink()
            chat.unlink()
            env["res.users"].browse(self.operator_ids).write({"active": False})

        run_with_retry(self.registry, cleanup)
        super(CommittedChatCase, self).tearDown()
