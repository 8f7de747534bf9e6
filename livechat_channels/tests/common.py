# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import uuid

from odoo import SUPERUSER_ID, api
from odoo.tests.common import HttpCase

from odoo.addons.queue_job.job import Job


class ChannelCase(HttpCase):
    """A live chat and its team, seen by the test and by the requests it
    makes to Odoo's HTTP server (webhooks) in one transaction, rolled back
    at the end.

    Odoo 11's HttpCase serves requests on a test cursor of its own; the test
    works on that same cursor (without taking its lock: the test waits for
    each response, so the two never use it at once). Its commits are
    savepoints; the whole transaction is rolled back at the end.
    """

    def setUp(self):
        super(ChannelCase, self).setUp()
        own_cr, own_env = self.cr, self.env

        def restore():
            self.cr, self.env = own_cr, own_env

        self.addCleanup(restore)
        self.cr = self.registry.test_cr
        self.env = api.Environment(
            self.cr, SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True}
        )
        ref = self.env.ref
        # Demo chats (if any) are put aside: each test sees only its own.
        self.env["livechat.chat"].search([]).write({"active": False})
        Groups = self.env["res.groups"]
        self.team = Groups.create({"name": "Channel test operators"})
        self.leads = Groups.create({"name": "Channel test supervisors"})
        self.operator = self.env["res.users"].create(
            {
                "name": "Channel Operator",
                "login": "channel_operator",
                "email": "channel_operator@example.com",
                "livechat_status": "online",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            ref("livechat_sessions.group_livechat_operator").id,
                            self.team.id,
                        ],
                    )
                ],
            }
        )
        self.chat = self.env["livechat.chat"].create(
            {
                "name": "Channel Test Chat",
                "operator_group_ids": [(6, 0, self.team.ids)],
                "supervisor_group_ids": [(6, 0, self.leads.ids)],
                "tz": "UTC",
            }
        )

    def post_json(self, url, payload, headers=None, raw=None):
        # The request's cursor rolls back to the test cursor's last "commit"
        # (a savepoint) when it closes: keep what the test wrote so far.
        self.cr.commit()  # pylint: disable=invalid-commit
        data = raw if raw is not None else json.dumps(payload).encode()
        response = self.opener.post(
            "http://127.0.0.1:%d%s" % (self._port(), url),
            data=data,
            timeout=30,
            headers=dict({"Content-Type": "application/json"}, **(headers or {})),
        )
        # The server worked on the same cursor through another environment.
        self.env.clear()
        return response

    def connect_telegram(self, token, **values):
        """This chat's Telegram bot, connected to a fake Bot API on a local
        port (``self.bot``, stopped after the test)."""
        from .fake_providers import FakeTelegram

        self.bot = FakeTelegram(token)
        self.addCleanup(self.bot.stop)
        connector = self.env["livechat.connector.telegram"].create(
            dict(
                {
                    "name": "Support bot",
                    "chat_id": self.chat.id,
                    "bot_token": token,
                    "api_url": self.bot.url,
                },
                **values,
            )
        )
        connector.action_connect()
        return connector

    def telegram_update(self, connector, update):
        """Telegram posting ``update`` to the bot's webhook, with its secret."""
        return self.post_json(
            connector._webhook_path(),
            update,
            headers={"X-Telegram-Bot-Api-Secret-Token": connector.webhook_secret},
        )

    @staticmethod
    def _port():
        from odoo.tools import config

        return config["http_port"]

    def messages(self, channel):
        return self.env["livechat.message"].search(
            [("chat_id", "=", self.chat.id), ("channel", "=", channel)]
        )

    def delivery_failed_payloads(self, kind="livechat.delivery_failed"):
        """The "reply not delivered" notifications (or those of another
        delivery ``kind``) written so far, oldest first."""
        self.env.cr.execute(
            "SELECT message FROM bus_bus WHERE message LIKE %s ORDER BY id",
            ("%" + kind + "%",),
        )
        return [json.loads(row[0]) for row in self.env.cr.fetchall()]

    def take_and_reply(self, message, body="Hello from Odoo", **kwargs):
        session = message.session_id.sudo(self.operator)
        if session.state == "queued":
            session.action_take()
        reply = session.reply(body, **kwargs)
        if isinstance(reply, int):
            reply = self.env["livechat.message"].browse(reply)
        return reply.sudo()

    def delivery_jobs(self, message):
        return (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "livechat.message"),
                    ("method_name", "=", "_deliver_job"),
                ]
            )
            .filtered(lambda job: job.record_ids == [message.id])
        )

    def perform(self, job_record):
        """Run a queued job here, as the job runner's worker would."""
        job = Job.load(self.env, job_record.uuid)
        return job.perform()


class VisitorCase(ChannelCase):
    """A website chat and its public routes, as the visitor's window calls
    them (a text/plain JSON body from another origin)."""

    def setUp(self):
        super(VisitorCase, self).setUp()
        self.chat.website_enabled = True
        self.key = self.chat.website_key

    def call(self, route, **params):
        return self.post_json(
            route,
            None,
            raw=json.dumps(params).encode(),
            headers={"Content-Type": "text/plain", "Origin": "https://shop.example"},
        )

    def start(self, token=None):
        response = self.call("/livechat/visitor/start", key=self.key, token=token)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Access-Control-Allow-Origin"], "*")
        return response.json()

    def send(self, token, body, client_id=None, **extra):
        return self.call(
            "/livechat/visitor/post",
            key=self.key,
            token=token,
            client_id=client_id or str(uuid.uuid4()),
            body=body,
            **extra,
        )
