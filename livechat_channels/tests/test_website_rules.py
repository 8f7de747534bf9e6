# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Website chat rules (which pages show, hide or open the chat, for which
countries) and the conversation's transcript by email."""

import json
import re

from odoo.exceptions import AccessError, ValidationError

from ..engine import page_rules
from .common import VisitorCase


def matches(pattern, page):
    """Whether the window would apply ``pattern`` to ``page`` (a path with
    its query, or a whole address): its regular expression, as the window
    uses it (case ignored)."""
    return bool(re.match(page_rules.pattern_regex(pattern), page, re.IGNORECASE))


class TestPagePatterns(VisitorCase):

    def test_a_star_is_anything_and_every_other_character_is_itself(self):
        self.assertTrue(matches("/shop/*", "/shop/cart?step=2"))
        self.assertTrue(matches("/shop/*", "/SHOP/"))
        self.assertFalse(matches("/shop/*", "/shop"))
        self.assertFalse(matches("/shop/*", "/en/shop/cart"))
        self.assertTrue(matches("*checkout*", "/en/shop/checkout?x=1"))
        self.assertTrue(matches("/", "/"))
        self.assertFalse(matches("/", "/about"))
        # What means something in a regular expression means nothing here.
        self.assertTrue(matches("/a.b?c=(1)", "/a.b?c=(1)"))
        self.assertFalse(matches("/a.b?c=(1)", "/aXb?c=(1)"))
        self.assertFalse(matches("/a.b?c=(1)", "/a.c=1"))
        self.assertTrue(matches("/price[s]+$", "/price[s]+$"))
        self.assertTrue(
            matches("https://shop.example.com/*", "https://Shop.Example.com/en/")
        )
        self.assertFalse(
            matches("https://shop.example.com/*", "https://evil.com/shop.example.com/")
        )
        # Stars in a row are one (one ".*" each would only slow matching).
        self.assertEqual(page_rules.pattern_regex("/a***b"), "^\\/a.*b$")
        self.assertTrue(page_rules.is_full_address("HTTPS://x.com/*"))
        self.assertFalse(page_rules.is_full_address("*https://x.com/*"))

    def test_a_pattern_that_cannot_be_used_says_why(self):
        for pattern, reason in (
            ("", "required"),
            ("  ", "required"),
            ("/shop cart", "no spaces"),
            ("shop/*", "starts with"),
            ("javascript:alert(1)", "starts with"),
            ("/" + "a" * 600, "at most"),
        ):
            with self.assertRaisesRegex(page_rules.PatternError, reason):
                page_rules.check_pattern(pattern)
        with self.assertRaisesRegex(ValidationError, "starts with"):
            self.env["livechat.website.rule"].create(
                {"chat_id": self.chat.id, "url_pattern": "shop"}
            )
        with self.assertRaisesRegex(ValidationError, "0 to 3600"):
            self.env["livechat.website.rule"].create(
                {
                    "chat_id": self.chat.id,
                    "url_pattern": "/*",
                    "action": "open",
                    "open_delay": -1,
                }
            )


class TestWebsiteRules(VisitorCase):

    def setUp(self):
        super(TestWebsiteRules, self).setUp()
        self.supervisor = self.env["res.users"].create(
            {
                "name": "Rules Supervisor",
                "login": "rules_supervisor",
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
        self.other_chat = self.env["livechat.chat"].create(
            {
                "name": "Another Chat",
                "operator_group_ids": [(6, 0, self.team.ids)],
                "supervisor_group_ids": [
                    (6, 0, self.env["res.groups"].create({"name": "Others"}).ids)
                ],
            }
        )

    def script_config(self):
        self.cr.commit()  # pylint: disable=invalid-commit
        text = self.url_open("/livechat/widget/%s.js" % self.key).text
        return json.loads(text.rsplit("livechatVisitor(", 1)[1].rsplit(");", 1)[0])

    def test_the_script_carries_the_rules_in_order_with_their_countries(self):
        belgium = self.env.ref("base.be")
        self.chat.write(
            {
                "website_other_pages": "hide",
                "website_rule_ids": [
                    (0, 0, {"sequence": 20, "url_pattern": "/*", "action": "show"}),
                    (
                        0,
                        0,
                        {
                            "sequence": 5,
                            "url_pattern": "/pricing*",
                            "action": "open",
                            "open_delay": 7,
                            "country_ids": [(6, 0, belgium.ids)],
                        },
                    ),
                    (0, 0, {"sequence": 10, "url_pattern": "*/checkout*"}),
                ],
            }
        )
        self.chat.website_rule_ids.filtered(
            lambda r: r.url_pattern == "*/checkout*"
        ).action = "hide"
        config = self.script_config()
        self.assertEqual(config["otherPages"], "hide")
        self.assertEqual(
            config["rules"],
            [
                {
                    "regex": "^\\/pricing.*$",
                    "full": False,
                    "action": "open",
                    "delay": 7,
                    "countries": ["BE"],
                },
                {
                    "regex": "^.*\\/checkout.*$",
                    "full": False,
                    "action": "hide",
                    "delay": 10,
                    "countries": [],
                },
                {
                    "regex": "^\\/.*$",
                    "full": False,
                    "action": "show",
                    "delay": 10,
                    "countries": [],
                },
            ],
        )
        # Without rules every page shows the button, as before rules existed.
        self.chat.website_rule_ids.unlink()
        self.chat.website_other_pages = "show"
        config = self.script_config()
        self.assertEqual((config["rules"], config["otherPages"]), ([], "show"))

    def test_supervisors_write_the_rules_of_their_chats_only(self):
        Rule = self.env["livechat.website.rule"].sudo(self.supervisor)
        rule = Rule.create({"chat_id": self.chat.id, "url_pattern": "/help/*"})
        rule.write({"action": "open", "open_delay": 30})
        # Through the chat's form, as the Website page of the form does.
        self.chat.sudo(self.supervisor).write(
            {
                "website_other_pages": "hide",
                "website_rule_ids": [(0, 0, {"url_pattern": "/faq*"})],
            }
        )
        self.assertEqual(
            sorted(self.chat.website_rule_ids.mapped("url_pattern")),
            ["/faq*", "/help/*"],
        )
        with self.assertRaises(AccessError):
            Rule.create({"chat_id": self.other_chat.id, "url_pattern": "/*"})
        with self.assertRaises(AccessError):
            rule.write({"chat_id": self.other_chat.id})
        theirs = self.env["livechat.website.rule"].create(
            {"chat_id": self.other_chat.id, "url_pattern": "/*"}
        )
        self.assertFalse(Rule.search([("id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.sudo(self.supervisor).write({"action": "hide"})
        with self.assertRaises(AccessError):
            theirs.sudo(self.supervisor).unlink()
        # Operators answer; they do not configure the website.
        with self.assertRaises(AccessError):
            self.env["livechat.website.rule"].sudo(self.operator).search([])
        with self.assertRaises(AccessError):
            self.env["livechat.website.rule"].sudo(self.operator).create(
                {"chat_id": self.chat.id, "url_pattern": "/*"}
            )
        self.assertEqual(theirs.action, "show")


class TestTranscript(VisitorCase):

    def transcript(self, token, email, tz=None):
        return self.call(
            "/livechat/visitor/transcript",
            key=self.key,
            token=token,
            email=email,
            tz=tz,
        )

    def mails_to(self, email):
        return self.env["mail.mail"].search([("email_to", "=", email)])

    def test_the_visitor_gets_the_answered_conversation_by_email(self):
        token = self.start()["token"]
        self.send(token, 'Is <img src=x onerror="alert(1)"> in stock?\nSize M')
        [message] = self.messages("website")
        message.write({"date": "2026-06-01 10:00:00"})
        reply = self.take_and_reply(message, "Yes, <b>two</b> left.")
        reply.write({"date": "2026-06-01 10:05:00"})
        reply.session_id.sudo(self.operator).add_note("Sold out tomorrow")
        response = self.transcript(token, "vera@example.com", tz="Europe/Brussels")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(
            response.json(), {"said": "The conversation was sent to vera@example.com."}
        )
        [mail] = self.mails_to("vera@example.com")
        self.assertEqual(mail.subject, "Your conversation with Channel Test Chat")
        body = mail.body_html
        # The visitor's words as text, the answer as its text, in order, in
        # the visitor's time zone; never the staff's note.
        self.assertIn(
            "Is &lt;img src=x onerror=&quot;alert(1)&quot;&gt; in stock?<br/>Size M",
            body,
        )
        self.assertNotIn("<img", body)
        self.assertLess(body.index("in stock"), body.index("two"))
        self.assertIn("<b>You</b>", body)
        self.assertIn("2026-06-01 12:00", body)
        self.assertIn("2026-06-01 12:05", body)
        self.assertIn("Europe/Brussels", body)
        self.assertNotIn("Sold out", body)

    def test_nothing_is_sent_before_an_answer_nor_to_a_bad_address(self):
        token = self.start()["token"]
        response = self.transcript(token, "vera@example.com")
        self.assertEqual(response.status_code, 400)
        self.assertIn("once we have answered", response.json()["error"])
        self.send(token, "Hello?")
        response = self.transcript(token, "vera@example.com")
        self.assertEqual(response.status_code, 400)
        self.take_and_reply(self.messages("website"), "Hello!")
        for email in ("", "not an address", "a@b.c<script>", ["a@example.com"]):
            response = self.transcript(token, email)
            self.assertEqual(response.status_code, 400, email)
        # A made-up time zone: the chat's.
        response = self.transcript(token, "vera@example.com", tz="Mars/Olympus")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertIn("Times are in UTC.", self.mails_to("vera@example.com").body_html)
        # Another visitor's token reaches nothing of this conversation.
        stranger = self.start()["token"]
        response = self.transcript(stranger, "evil@example.com")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.mails_to("evil@example.com"))

    def test_at_most_three_transcripts_an_hour_per_visitor(self):
        token = self.start()["token"]
        self.send(token, "Hi")
        self.take_and_reply(self.messages("website"), "Hello!")
        for n in range(3):
            response = self.transcript(token, "v%d@example.com" % n)
            self.assertEqual(response.status_code, 200, response.text)
        response = self.transcript(token, "v3@example.com")
        self.assertEqual(response.status_code, 400)
        self.assertIn("try again later", response.json()["error"])
        self.assertFalse(self.mails_to("v3@example.com"))
