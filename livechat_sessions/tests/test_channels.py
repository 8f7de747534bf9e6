# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channels plug in from their addons: every ``channel`` field offers the
same channels, each described for the clients."""
from odoo.tests.common import TransactionCase, at_install, post_install

from ..models.livechat_chat import CHANNELS


@at_install(False)
@post_install(True)
class TestChannelKeys(TransactionCase):
    def test_the_core_owns_only_the_employees_channel(self):
        self.assertEqual([key for key, _label in CHANNELS], ["internal"])

    def test_every_channel_field_offers_every_described_channel(self):
        described = set(self.env["livechat.chat"]._livechat_channels())
        # The test addons' channels are installed with the tests.
        self.assertTrue({"internal", "messenger", "mailbox"} <= described)
        fields = [
            (name, model._fields["channel"])
            for name, model in self.env.registry.items()
            if name.startswith("livechat.")
            and "channel" in model._fields
            and model._fields["channel"].type == "selection"
        ]
        self.assertGreaterEqual(len(fields), 6)
        for name, field in fields:
            keys = {key for key, _label in field._description_selection(self.env)}
            # A channel addon that forgot one selection_add, or one
            # description, is named here.
            self.assertEqual(keys, described, name)

    def test_labels_come_from_the_selection_when_not_described(self):
        channel = self.env["livechat.chat"]._livechat_channel("messenger")
        self.assertEqual(channel["label"], "Messenger")
        self.assertEqual(channel["icon"], "fa-comment")
