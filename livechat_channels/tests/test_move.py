# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A session moved to another live chat keeps talking to the customer
through the way they wrote in: the first chat's bot both ways, and the
website visitor's window."""

from .common import VisitorCase
from .fake_providers import FakeTelegram
from .test_engine import tg_update

TOKEN = "123:MOVE-token"


class TestMovedSession(VisitorCase):

    def setUp(self):
        super(TestMovedSession, self).setUp()
        self.supervisor = self.env["res.users"].create(
            {
                "name": "Mover Supervisor",
                "login": "mover_supervisor",
                "livechat_status": "online",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "livechat_sessions.group_livechat_supervisor"
                            ).id,
                            self.leads.id,
                        ],
                    )
                ],
            }
        )
        # Sales: another chat with its own team and bot, supervised by the
        # same lead.
        self.sales_team = self.env["res.groups"].create({"name": "Sales team"})
        self.seller = self.env["res.users"].create(
            {
                "name": "Sales Operator",
                "login": "sales_operator",
                "livechat_status": "online",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref(
                                "livechat_sessions.group_livechat_operator"
                            ).id,
                            self.sales_team.id,
                        ],
                    )
                ],
            }
        )
        self.sales = self.env["livechat.chat"].create(
            {
                "name": "Sales",
                "operator_group_ids": [(6, 0, self.sales_team.ids)],
                "supervisor_group_ids": [(6, 0, self.leads.ids)],
                "tz": "UTC",
                "website_enabled": True,
            }
        )

    def move(self, session):
        session.sudo(self.supervisor).action_move(self.sales.id)
        session.sudo(self.seller).action_take()
        return session

    def test_replies_and_follow_ups_go_through_the_first_chats_bot(self):
        support_bot = self.connect_telegram(TOKEN)
        sales_bot = FakeTelegram("456:SALES")
        self.addCleanup(sales_bot.stop)
        self.env["livechat.connector.telegram"].create(
            {
                "name": "Sales bot",
                "chat_id": self.sales.id,
                "bot_token": "456:SALES",
                "api_url": sales_bot.url,
            }
        ).action_connect()
        self.telegram_update(support_bot, tg_update(1, "I want 40 licences"))
        [message] = self.messages("telegram")
        session = self.move(message.session_id)
        reply = session.sudo(self.seller).reply("10 % off from 20")
        reply = self.env["livechat.message"].browse(getattr(reply, "id", reply))
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(reply.delivery_state, "sent")
        # Out through the bot the customer wrote to, never the other chat's.
        self.assertEqual(
            self.bot.calls_of("sendMessage"),
            [{"chat_id": "7001", "text": "10 % off from 20"}],
        )
        self.assertFalse(sales_bot.calls_of("sendMessage"))
        # The customer's next message, through the same bot, reaches the
        # moved session.
        self.telegram_update(support_bot, tg_update(2, "Deal"))
        follow_up = self.env["livechat.message"].search(
            [("channel", "=", "telegram"), ("body", "=", "<p>Deal</p>")]
        )
        self.assertEqual(follow_up.session_id, session)
        self.assertEqual(follow_up.session_id.chat_id, self.sales)
        # The bot's health counts what it carries: the moved session's
        # message too.
        support_bot.invalidate_cache()
        self.assertTrue(support_bot.last_received_date)

    def test_the_website_visitor_keeps_the_conversation(self):
        token = self.start()["token"]
        self.send(token, "Can I get a quote?")
        [message] = self.messages("website")
        session = self.move(message.session_id)
        session.sudo(self.seller).reply("Of course: how many seats?")
        # The visitor's window (the first chat's key) shows it all...
        history = self.start(token)["messages"]
        self.assertEqual(
            [m["text"] for m in history],
            ["Can I get a quote?", "Of course: how many seats?"],
        )
        # ...and what they write next reaches the moved session.
        response = self.send(token, "Twelve")
        self.assertEqual(response.status_code, 200, response.text)
        self.env.clear()
        self.assertEqual(
            session.message_ids.filtered(lambda m: m.direction == "in").mapped("body"),
            ["<p>Can I get a quote?</p>", "<p>Twelve</p>"],
        )
        # The other chat's website key reaches nothing of it.
        self.assertEqual(
            self.call(
                "/livechat/visitor/start", key=self.sales.website_key, token=token
            ).json()["messages"],
            [],
        )
