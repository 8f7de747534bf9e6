# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo.exceptions import AccessError, ValidationError

from .common import LivechatCase

# A 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg=="
)


class TestConversation(LivechatCase):
    """The conversation view's search, pictures and saved files."""

    def setUp(self):
        super(TestConversation, self).setUp()
        # An earlier, closed session of the same customer: part of the
        # conversation's history.
        earlier = self.receive("Please refund my first order")
        earlier.session_id.sudo(self.operator).action_take()
        earlier.session_id.sudo(self.operator).action_close()
        self.receive("Nothing to see here")
        self.first = self.receive("Refund of 50% & more, <b>please</b>")
        self.session = self.first.session_id
        self.session.sudo(self.operator).action_take()
        self.session.sudo(self.operator).write({"name": "Refund request"})
        self.answer = self.session.sudo(self.operator).reply(
            "Your refund is on its way"
        )
        self.Conversation = self.env["livechat.workspace"].sudo(self.operator)

    def test_search_finds_text_in_the_session_and_its_history(self):
        found = self.Conversation.find_messages(self.session.id, "REFUND")
        self.assertTrue(found["name_match"])
        bodies = [h["snippet"] for h in found["hits"]]
        # Newest first, the earlier session's message included.
        self.assertEqual(
            bodies,
            [
                "Your refund is on its way",
                "Refund of 50% & more, <b>please</b>",
                "Please refund my first order",
            ],
        )
        self.assertEqual(found["hits"][0]["id"], self.answer.id)
        # What is stored escaped is found as typed; LIKE wildcards are
        # plain characters; markup is not searched.
        self.assertEqual(
            len(self.Conversation.find_messages(self.session.id, "50% & more")["hits"]),
            1,
        )
        self.assertEqual(
            len(
                self.Conversation.find_messages(self.session.id, " refund   of ")[
                    "hits"
                ]
            ),
            1,
        )
        self.assertEqual(
            self.Conversation.find_messages(self.session.id, "<b>")["hits"][0]["id"],
            self.first.id,
        )
        self.assertFalse(
            self.Conversation.find_messages(self.session.id, "r_fund")["hits"]
        )
        self.assertFalse(
            self.Conversation.find_messages(self.session.id, "amp;")["hits"]
        )
        nothing = self.Conversation.find_messages(self.session.id, "  ")
        self.assertEqual(nothing, {"hits": [], "name_match": False})

    def test_search_snippet_is_clipped_around_the_hit(self):
        long = self.receive("x" * 300 + " the serial number is 42 " + "y" * 300)
        hit = self.Conversation.find_messages(self.session.id, "serial number")["hits"][
            0
        ]
        self.assertEqual(hit["id"], long.id)
        self.assertTrue(hit["snippet"].startswith("…x"))
        self.assertIn("the serial number is 42", hit["snippet"])
        self.assertLess(len(hit["snippet"]), 110)

    def test_search_refusals(self):
        with self.assertRaises(ValidationError):
            self.Conversation.find_messages(self.session.id, "x" * 201)
        with self.assertRaises(ValidationError):
            self.Conversation.find_messages(self.session.id, ["refund"])
        with self.assertRaises(AccessError):  # not a session of their chats
            self.env["livechat.workspace"].sudo(self.operator_b).find_messages(
                self.session.id, "refund"
            )
        with self.assertRaises(AccessError):  # no Live Chats role
            self.env["livechat.workspace"].sudo(self.outsider).find_messages(
                self.session.id, "refund"
            )

    def test_each_message_has_its_authors_picture(self):
        def pictures():
            rows = self.Conversation.messages(self.session.id)["messages"]
            return {row["id"]: row["avatar"] for row in rows}

        # Authors without a picture: the view's neutral icon.
        self.operator.partner_id.image = False
        self.assertIs(pictures()[self.first.id], False)
        self.assertIs(pictures()[self.answer.id], False)
        self.operator.partner_id.image = base64.b64encode(PNG)
        self.assertEqual(
            pictures()[self.answer.id],
            "/web/image/res.users/%d/image_small" % self.operator.id,
        )
        self.first.author_account_id.image = base64.b64encode(PNG)
        self.assertEqual(
            pictures()[self.first.id],
            "/web/image/livechat.account/%d/image/64x64"
            % self.first.author_account_id.id,
        )

    def _file_message(self, account="tg-1"):
        return self.receive(
            "see attached",
            account=account,
            attachments=[
                {
                    "name": "invoice.pdf",
                    "mimetype": "application/pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 invoice"),
                }
            ],
        )

    def test_save_a_copy_of_a_file_on_a_record(self):
        message = self._file_message()
        partner = self.env["res.partner"].create({"name": "Ann's company"})
        self.operator.groups_id |= self.env.ref("base.group_partner_manager")
        saved = self.Conversation.save_attachment(
            self.session.id, message.attachment_ids.id, "res.partner", partner.id
        )
        copy = self.env["ir.attachment"].browse(saved["id"])
        self.assertEqual((copy.res_model, copy.res_id), ("res.partner", partner.id))
        self.assertEqual(base64.b64decode(copy.datas), b"%PDF-1.4 invoice")
        self.assertEqual(copy.create_uid, self.operator)
        self.assertEqual(saved["name"], "Ann's company")
        # The record's chatter says where the file comes from.
        note = partner.message_ids[0]
        self.assertIn("Refund request", note.body)
        self.assertEqual(note.attachment_ids, copy)
        # The customer's file stays where it was.
        self.assertEqual(message.attachment_ids.res_model, "livechat.message")

    def test_save_refusals(self):
        message = self._file_message()
        other = self._file_message(account="tg-other")
        partner = self.env["res.partner"].create({"name": "Ann's company"})
        args = (self.session.id, message.attachment_ids.id, "res.partner", partner.id)
        # Writing on contacts needs the Contact Creation right.
        with self.assertRaises(AccessError):
            self.Conversation.save_attachment(*args)
        self.operator.groups_id |= self.env.ref("base.group_partner_manager")
        with self.assertRaises(ValidationError):  # another customer's file
            self.Conversation.save_attachment(
                self.session.id, other.attachment_ids.id, "res.partner", partner.id
            )
        with self.assertRaises(ValidationError):
            self.Conversation.save_attachment(
                self.session.id, message.attachment_ids.id, "no.such.model", 1
            )
        with self.assertRaises(ValidationError):
            self.Conversation.save_attachment(
                self.session.id, message.attachment_ids.id, "res.partner", 10**9
            )
        with self.assertRaises(AccessError):  # not a session of their chats
            self.env["livechat.workspace"].sudo(self.operator_b).save_attachment(*args)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ),
            0,
        )

    def test_where_files_can_be_saved(self):
        partner = self.env["res.partner"].create({"name": "Ann's company"})
        self.session.account_id.partner_id = partner
        targets = self.Conversation.attachment_targets(self.session.id)
        # Without the right to write on contacts: neither contacts nor the
        # customer's contact are offered.
        self.assertFalse(targets["contact"])
        self.assertNotIn("res.partner", [t["model"] for t in targets["models"]])
        self.operator.groups_id |= self.env.ref("base.group_partner_manager")
        targets = self.Conversation.attachment_targets(self.session.id)
        self.assertEqual(targets["contact"]["res_id"], partner.id)
        models = [t["model"] for t in targets["models"]]
        self.assertIn("res.partner", models)
        self.assertFalse([m for m in models if m.startswith("livechat.")])
