# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A customer's data on request, through the channels: the export is
downloaded over HTTP by administrators only; the erasure leaves nothing a
channel would still send (waiting replies, scheduled replies)."""
import io
import json
import zipfile

from odoo.addons.livechat_sessions.models.livechat_account_privacy import (
    ERASED_NAME,
)

from .common import ChannelCase
from .test_engine import tg_update
from .test_scheduled import later

TOKEN = "125:PRIVACY-token"


class TestPrivacyChannels(ChannelCase):
    def setUp(self):
        super(TestPrivacyChannels, self).setUp()
        connector = self.connect_telegram(
            TOKEN, name="Privacy bot", fetch_avatars=False
        )
        self.telegram_update(connector, tg_update(1, "My address is 1 Main St"))
        self.chat_session = self.messages("telegram").session_id
        self.account = self.chat_session.account_id
        self.account.email = "ann@example.com"
        self.chat_session.sudo(self.operator).action_take()

    def export(self, account_ids):
        self.cr.commit()  # pylint: disable=invalid-commit
        return self.opener.get(
            "http://127.0.0.1:%d/livechat/customer_export?account_ids=%s"
            % (self._port(), account_ids),
            timeout=30,
            allow_redirects=False,
        )

    def test_administrators_download_the_export(self):
        self.authenticate("admin", "admin")
        response = self.export(self.account.id)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        customer = json.loads(archive.read("customer.json").decode())
        self.assertEqual(customer["accounts"][0]["email"], "ann@example.com")
        self.assertIn("1 Main St", customer["sessions"][0]["messages"][0]["body_html"])
        self.env.clear()
        self.assertEqual(
            self.env["livechat.privacy.log"].search_count([("kind", "=", "export")]), 1
        )
        # Bad and unknown ids get a clear answer.
        self.assertEqual(self.export("1,x").status_code, 400)
        self.assertEqual(self.export("").status_code, 400)
        self.assertEqual(self.export("-3").status_code, 400)
        self.assertEqual(self.export(",".join(["1"] * 101)).status_code, 400)
        self.assertEqual(self.export("999999999").status_code, 404)

    def test_others_get_nothing(self):
        logs = self.env["livechat.privacy.log"].search_count([])
        # Not logged in: sent to Odoo's login page, no data.
        response = self.export(self.account.id)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertNotIn("1 Main St", response.text)
        self.operator.password = "operator-pw"
        self.authenticate("channel_operator", "operator-pw")
        response = self.export(self.account.id)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("1 Main St", response.text)
        self.env.clear()
        self.assertEqual(self.env["livechat.privacy.log"].search_count([]), logs)

    def test_the_erasure_leaves_nothing_to_send(self):
        session = self.chat_session.sudo(self.operator)
        reply = session.reply("Noted, Ann").sudo()
        [job] = self.delivery_jobs(reply)
        scheduled = self.env["livechat.scheduled.reply"].browse(
            session.schedule_reply("Your parcel left", later(hours=1))
        )
        self.account._erase()
        self.assertEqual(self.account.name, ERASED_NAME)
        self.assertFalse(self.account.email)
        self.assertFalse(scheduled.exists())
        # The reply's delivery job finds nothing to send.
        self.assertIn("Nothing to do", self.perform(job))
        self.assertFalse(self.bot.calls_of("sendMessage"))
        self.assertEqual(reply.delivery_state, "failed")
