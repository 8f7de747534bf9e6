# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stored HTML, files, customer accounts and reply uploads: what SECURITY.md
promises of them."""
import base64

from lxml import html as lxml_html

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from ..engine import files, text
from . import xss_payloads
from .common import LivechatCase

ALLOWED = set(text.ALLOWED_TAGS)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
HTML = b"<html><script>alert(1)</script></html>"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg=="
)


def b64(content):
    return base64.b64encode(content).decode()


class TestStrictHtml(LivechatCase):

    def assertClean(self, html, payload=""):
        """``html``, parsed as a browser would, holds only allowed elements,
        no attribute but a link's, and links only to http(s) or mailto.
        (Its text may well read "onerror=": as text, escaped.)"""
        if html:
            tree = lxml_html.fragment_fromstring(html, create_parent="div")
            for element in tree.iterdescendants():
                self.assertIn(element.tag, ALLOWED, (payload, html))
                allowed = {"href", "rel", "target"} if element.tag == "a" else set()
                self.assertLessEqual(set(element.attrib), allowed, (payload, html))
                href = element.get("href")
                if href:
                    self.assertRegex(href, r"^(https?://|mailto:)")

    def test_every_payload_of_the_corpus_is_stored_inert(self):
        payloads = xss_payloads.payloads()
        self.assertGreaterEqual(len(payloads), 150)
        for _number, payload in payloads:
            self.assertClean(text.sanitize(payload), payload)
            # Plain text (every messenger) is escaped whole.
            self.assertClean(text.to_html(payload, "text"), payload)

    def test_allowed_markup_is_kept_and_links_are_safe(self):
        html = text.sanitize(
            '<p class="x" style="position:fixed" data-toggle="modal" id="i">Hi '
            '<b>bold</b> <em>em</em> <a href="https://example.com/a b" '
            'onclick="x()">link</a> <a href="mailto:a@b.example">mail</a></p>'
            "<ul><li>one</li></ul><pre><code>x = 1</code></pre>"
        )
        self.assertEqual(
            html,
            '<p>Hi <b>bold</b> <em>em</em> <a href="https://example.com/a%20b" '
            'rel="noopener noreferrer" target="_blank">link</a> '
            '<a href="mailto:a@b.example" rel="noopener noreferrer" '
            'target="_blank">mail</a></p><ul><li>one</li></ul>'
            "<pre><code>x = 1</code></pre>",
        )

    def test_unknown_tags_keep_their_text_dangerous_ones_lose_it(self):
        self.assertEqual(text.sanitize("<div><span>kept</span></div>"), "kept")
        self.assertEqual(text.sanitize("a<script>gone()</script>b"), "ab")
        self.assertEqual(text.sanitize("<svg><text>gone</text></svg>c"), "c")
        self.assertEqual(text.sanitize("x<!-- comment -->y"), "xy")
        with self.assertRaises(text.BodyError):
            text.to_html("<script>alert(1)</script>", "html")

    def test_operator_html_replies_and_customer_html_are_stored_strict(self):
        message = self.receive(
            '<p data-toggle="collapse" data-target="<img src=x onerror=alert(1)>" '
            'style="position:fixed">Hi</p>',
            body_type="html",
        )
        self.assertEqual(message.body, "<p>Hi</p>")
        session = message.session_id.sudo(self.operator)
        reply = session.reply(
            '<a href="javascript:alert(1)" class="btn">Go</a> '
            '<b style="color:red">now</b>',
            body_type="html",
        )
        self.assertEqual(reply.body, "<a>Go</a> <b>now</b>")

    def test_articles_link_only_to_web_pages(self):
        Template = self.env["livechat.response.template"].sudo(self.operator)
        for url in ("javascript:alert(1)", "data:text/html,x", " jav\tascript:x"):
            with self.assertRaises(ValidationError):
                Template.create({"name": "Bad", "kind": "article", "url": url})
        Template.create(
            {"name": "Help", "kind": "article", "url": "https://example.com/help"}
        )

    def test_migration_resanitizes_stored_messages_and_retypes_files(self):
        message = self.receive("Old message")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "old.svg",
                "datas": b64(SVG),
                "mimetype": "image/svg+xml",
                "res_model": "livechat.message",
                "res_id": message.id,
            }
        )
        # As an earlier version stored them.
        self.env.cr.execute(
            "UPDATE livechat_message SET body = %s WHERE id = %s",
            ('<p class="x" data-toggle="modal" data-target="#y">Old</p>', message.id),
        )
        self.env.cr.execute(
            "UPDATE ir_attachment SET mimetype = 'image/svg+xml' WHERE id = %s",
            (attachment.id,),
        )
        bodies, typed = self.env["livechat.message"]._resanitize_stored(batch=2)
        self.assertGreaterEqual(bodies, 1)
        self.assertGreaterEqual(typed, 1)
        message.invalidate_cache()
        attachment.invalidate_cache()
        self.assertEqual(message.body, "<p>Old</p>")
        self.assertEqual(attachment.mimetype, "text/plain")


class TestFiles(LivechatCase):

    def test_content_decides_the_type(self):
        self.assertEqual(files.content_type(PNG), "image/png")
        self.assertEqual(files.content_type(b"%PDF-1.7\n..."), "application/pdf")
        self.assertEqual(files.content_type(b"plain words\n"), "text/plain")
        self.assertEqual(files.content_type(SVG), "text/plain")
        self.assertEqual(
            files.content_type(b"\x00\x01\x02binary"), "application/octet-stream"
        )
        # A polyglot that starts as a GIF is a picture: never run as a page.
        self.assertEqual(
            files.content_type(b"GIF89a<script>alert(1)</script>"), "image/gif"
        )
        self.assertEqual(files.clean_name("../../etc/passwd"), "passwd")
        self.assertEqual(files.clean_name("a\x00b\u202e.png"), "ab.png")

    def test_channel_files_are_typed_by_content_not_by_the_sender(self):
        message = self.receive(
            "files",
            attachments=[
                {"name": "photo.png", "datas": b64(HTML), "mimetype": "text/html"},
                {"name": "logo.svg", "datas": b64(SVG), "mimetype": "image/svg+xml"},
                {
                    "name": "a.exe",
                    "datas": b64(b"MZ\x90\x00\x03"),
                    "mimetype": "image/png",
                },
                {"name": "real.png", "datas": b64(PNG), "mimetype": "text/html"},
            ],
        )
        types = dict(message.attachment_ids.mapped(lambda a: (a.name, a.mimetype)))
        self.assertEqual(
            types,
            {
                "photo.png": "text/plain",
                "logo.svg": "text/plain",
                "a.exe": "application/octet-stream",
                "real.png": "image/png",
            },
        )

    def test_conversation_files_download_unless_pictures(self):
        message = self.receive(
            "files",
            attachments=[
                {"name": "page.html", "datas": b64(HTML)},
                {"name": "real.png", "datas": b64(PNG)},
            ],
        )
        IrHttp = self.env["ir.http"]
        by_name = {a.name: a for a in message.attachment_ids}
        env = self.env(user=self.supervisor.id)
        status, headers, _content = IrHttp.binary_content(
            id=by_name["page.html"].id, env=env
        )
        headers = dict(headers)
        self.assertEqual(status, 200)
        self.assertIn("attachment", headers.get("Content-Disposition", ""))
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        status, headers, _content = IrHttp.binary_content(
            id=by_name["real.png"].id, env=env
        )
        self.assertNotIn("Content-Disposition", dict(headers))
        self.assertEqual(dict(headers)["Content-Type"], "image/png")
        # An operator of another chat may not read it at all.
        status, _headers, _content = IrHttp.binary_content(
            id=by_name["page.html"].id, env=self.env(user=self.operator_b.id)
        )
        self.assertEqual(status, 403)


class TestReplyUploads(LivechatCase):

    def setUp(self):
        super(TestReplyUploads, self).setUp()
        self.session = self.receive("Hello").session_id
        self.session.sudo(self.operator).action_take()
        self.Attachment = self.env["ir.attachment"]

    def upload(self, user, res_model="livechat.session", res_id=None, content=PNG):
        return self.Attachment.sudo(user).create(
            {
                "name": "upload.png",
                "datas": b64(content),
                "datas_fname": "upload.png",
                "res_model": res_model,
                "res_id": self.session.id if res_id is None else res_id,
            }
        )

    def test_own_upload_travels_with_the_reply(self):
        upload = self.upload(self.operator, content=HTML)
        reply = self.session.sudo(self.operator).reply(
            "See attached", attachment_ids=[upload.id]
        )
        self.assertEqual(reply.attachment_ids, upload)
        self.assertEqual(upload.res_model, "livechat.message")
        # Typed by its content, as customers' files are.
        self.assertEqual(upload.mimetype, "text/plain")

    def test_a_reply_never_takes_anyone_elses_file(self):
        partner = self.env["res.partner"].create({"name": "Contact"})
        # The operator may edit contacts, so may attach files to one.
        self.operator.groups_id |= self.env.ref("base.group_partner_manager")
        contact_file = self.Attachment.create(
            {
                "name": "contract.pdf",
                "datas": b64(b"%PDF-1.4"),
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )
        colleague_file = self.upload(self.operator2, False, 0)
        own_but_elsewhere = self.upload(self.operator, "res.partner", partner.id)
        sent = self.upload(self.operator)
        self.session.sudo(self.operator).reply("first", attachment_ids=[sent.id])
        for attachment in (contact_file, colleague_file, own_but_elsewhere, sent):
            with self.assertRaises(ValidationError):
                self.session.sudo(self.operator).reply(
                    "steal", attachment_ids=[attachment.id]
                )
        self.assertEqual(contact_file.res_model, "res.partner")
        self.assertEqual(contact_file.res_id, partner.id)
        with self.assertRaises(ValidationError):
            self.session.sudo(self.operator).reply("bad", attachment_ids="1,2")


class TestAccounts(LivechatCase):

    def setUp(self):
        super(TestAccounts, self).setUp()
        self.own = self.receive("A", account="acc-a").session_id.account_id
        self.other = self.receive("B", chat=self.chat_b, account="acc-b")
        self.other = self.other.session_id.account_id
        self.Account = self.env["livechat.account"]

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_staff_see_and_edit_only_their_chats_customers(self):
        self.assertEqual(
            self.Account.sudo(self.operator).search(
                [("id", "in", (self.own | self.other).ids)]
            ),
            self.own,
        )
        self.assertEqual(
            self.Account.sudo(self.reader).search(
                [("id", "in", (self.own | self.other).ids)]
            ),
            self.own,
        )
        self.own.sudo(self.operator).write({"name": "Ann Smith"})
        with self.assertRaises(AccessError):
            self.other.sudo(self.operator).write({"name": "Hijacked"})
        with self.assertRaises(AccessError):
            self.other.sudo(self.operator).read(["name"])
        with self.assertRaises(AccessError):
            self.own.sudo(self.reader).write({"name": "Reader edit"})
        with self.assertRaises(AccessError):
            self.Account.sudo(self.outsider).search([])

    @mute_logger("odoo.models")
    def test_identity_fields_are_never_written_by_a_client(self):
        for field, value in (
            ("external_id", "acc-b"),
            ("channel", "mailbox"),
            ("user_id", self.operator2.id),
        ):
            for user in (self.operator, self.supervisor, self.manager):
                with self.assertRaises(AccessError):
                    self.own.sudo(user).write({field: value})
        self.assertEqual(self.own.external_id, "acc-a")
        # Nobody creates an employee's account by hand (livechat_channels
        # tests a website visitor's).
        for vals in (
            {"channel": "internal", "external_id": str(self.operator2.id)},
            {
                "channel": "mailbox",
                "external_id": "x@example.com",
                "user_id": self.operator2.id,
            },
        ):
            with self.assertRaises(AccessError):
                self.Account.sudo(self.manager).create(dict(vals, name="Forged"))
        # A new email address, for +New session, is fine.
        created = self.Account.sudo(self.operator).create(
            {"name": "New", "channel": "mailbox", "external_id": "new@example.com"}
        )
        self.assertTrue(created)


class TestFollowers(LivechatCase):
    """CVE-2019-11785, mitigated: following needs the right to read."""

    def test_nobody_follows_what_they_cannot_read(self):
        private = self.env["mail.channel"].create(
            {"name": "Board", "public": "private", "channel_partner_ids": []}
        )
        Followers = self.env["mail.followers"]
        for user in (self.outsider, self.operator):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                Followers.sudo(user).create(
                    {
                        "res_model": "mail.channel",
                        "res_id": private.id,
                        "partner_id": user.partner_id.id,
                    }
                )
        # What one may read, one may follow; others only on what one writes.
        partner = self.env["res.partner"].create({"name": "Shared contact"})
        Followers.sudo(self.outsider).create(
            {
                "res_model": "res.partner",
                "res_id": partner.id,
                "partner_id": self.outsider.partner_id.id,
            }
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            Followers.sudo(self.outsider).create(
                {
                    "res_model": "res.partner",
                    "res_id": partner.id,
                    "partner_id": self.operator.partner_id.id,
                }
            )
