# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A channel plugged in from outside the project's addons: a message goes
in through the way in and out through the delivery queue, and the clients
get its label and icon from the server."""
from odoo.addons.livechat_channels.tests.fake_providers import FakeProvider
from odoo.addons.livechat_sessions.tests.common import LivechatCase
from odoo.addons.queue_job.job import Job


class FakePager(FakeProvider):
    """A pager's API on a free local port (the channels' fake-provider
    server): keeps every page it is sent."""

    def route(self, handler, verb, payload):
        with self.lock:
            self.calls.append((handler.path, payload))
            return 200, {"id": "page-%d" % len(self.calls)}, {}

    @property
    def pages(self):
        return self.calls_of("/page")


class TestPagerChannel(LivechatCase):

    def setUp(self):
        super(TestPagerChannel, self).setUp()
        self.service = FakePager()
        self.addCleanup(self.service.stop)
        self.connector = self.env["livechat.connector.pager"].create(
            {"name": "Pager", "chat_id": self.chat_a.id, "api_url": self.service.url}
        )
        self.connector.action_connect()

    def test_a_message_goes_in_and_out_through_a_plugged_in_channel(self):
        message_id = self.connector._receive(
            {"external_id": "555-0101", "name": "Pat"}, "Beep beep", "pager-1"
        )
        message = self.env["livechat.message"].browse(message_id)
        session = message.session_id
        self.assertEqual((message.channel, session.channel), ("pager", "pager"))
        self.assertEqual(session.account_id.name, "Pat")

        # The clients learn the channel's label and icon from the server.
        Workspace = self.env["livechat.workspace"].sudo(self.operator)
        [row] = Workspace.messages(session.id)["messages"]
        self.assertEqual(
            (row["channel_label"], row["channel_icon"]), ("Pager", "fa-bell")
        )
        self.assertEqual(
            Workspace.customer(session.id)["account"]["channel_label"], "Pager"
        )

        # The operator's reply leaves through the delivery queue.
        reply = session.sudo(self.operator).reply("On my way")
        self.assertEqual(reply.delivery_state, "pending")
        [job] = (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "livechat.message"),
                    ("method_name", "=", "_deliver_job"),
                ]
            )
            .filtered(lambda job: job.record_ids == [reply.id])
        )
        Job.load(self.env, job.uuid).perform()
        self.assertEqual(self.service.pages, [{"to": "555-0101", "text": "On my way"}])
        self.assertEqual(reply.sudo().delivery_state, "sent")
