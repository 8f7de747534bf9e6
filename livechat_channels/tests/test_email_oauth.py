# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An email inbox signing in with OAuth 2.0 (SASL XOAUTH2), against real
servers: dovecot with its ``oauth2`` passdb and an SMTP server, both asking
a local authorization server (token introspection) whether the token is
valid, as Gmail's and Microsoft's servers do."""

import threading
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

import odoo
from odoo.exceptions import AccessError, UserError
from odoo.tests.common import TransactionCase, at_install, post_install

from odoo.addons.queue_job.exception import RetryableJobError

from ..engine import oauth
from .common import ChannelCase
from .fake_providers import FakeOAuth
from .mail_servers import Dovecot, SmtpSink
from .test_email import customer_email


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def consent(url, allow=True):
    """The administrator's browser on the provider's consent page: returns
    the query of the redirect back to Odoo."""
    query = dict(parse_qsl(urlsplit(url).query), allow="1" if allow else "0")
    target = "%s/consent?%s" % (url.split("/authorize")[0], urlencode(query))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        opener.open(target, timeout=10)
    except urllib.error.HTTPError as answer:
        return dict(parse_qsl(urlsplit(answer.headers["Location"]).query))
    raise AssertionError("The consent page did not redirect")


class TestEmailOauth(ChannelCase):
    def setUp(self):
        super(TestEmailOauth, self).setUp()
        self.provider = FakeOAuth()
        self.addCleanup(self.provider.stop)
        introspect = self.provider.url + "/introspect"
        self.imap = Dovecot(introspection_url=introspect)
        self.addCleanup(self.imap.stop)
        self.smtp = SmtpSink(introspection_url=introspect)
        self.addCleanup(self.smtp.stop)
        self.connector = self.env["livechat.connector.email"].create(
            {
                "name": "Workspace inbox",
                "chat_id": self.chat.id,
                "email_address": "support@shop.example",
                "auth_method": "oauth2",
                "oauth_client_id": self.provider.client_id,
                "oauth_client_secret": self.provider.client_secret,
                "oauth_authorize_url": self.provider.url + "/authorize",
                "oauth_token_url": self.provider.url + "/token",
                "oauth_scope": "mail",
                "imap_host": "127.0.0.1",
                "imap_port": self.imap.port,
                "imap_ssl": False,
                "imap_login": "support",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.smtp.port,
                "smtp_security": "none",
            }
        )
        self.supervisor = self.env["res.users"].create(
            {
                "name": "Inbox Supervisor",
                "login": "inbox_supervisor",
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

    def authorise(self):
        action = self.connector.action_oauth_authorize()
        answer = consent(action["url"])
        self.connector._oauth_finish(answer["state"], code=answer["code"])
        self.connector.invalidate_cache()

    def token(self):
        return self.env["livechat.connector.email.token"].search(
            [("connector_id", "=", self.connector.id)]
        )

    def fetch(self):
        count = self.connector._fetch()
        self.env.clear()
        return count

    def test_authorised_once_then_reads_and_answers_without_a_password(self):
        self.assertEqual(self.connector.oauth_status, "none")
        action = self.connector.action_oauth_authorize()
        query = dict(parse_qsl(urlsplit(action["url"]).query))
        self.assertEqual(query["client_id"], self.provider.client_id)
        self.assertEqual(query["login_hint"], "support")
        self.assertEqual(query["response_type"], "code")
        self.assertTrue(query["redirect_uri"].endswith("/livechat/email/oauth"), query)
        self.assertNotIn(self.provider.client_secret, action["url"])
        # The provider sends the administrator back to Odoo's route, which
        # stores the tokens and opens the inbox's form.
        answer = consent(action["url"])
        self.authenticate("admin", "admin")
        # Not followed: the web client's first page builds its assets,
        # which took more than the request's 10 s on a busy CI machine.
        response = self.opener.get(
            "http://127.0.0.1:%d/livechat/email/oauth?state=%s&code=%s"
            % (self._port(), answer["state"], answer["code"]),
            allow_redirects=False,
            timeout=30,
        )
        self.assertEqual(response.status_code, 302, response.text)
        self.assertIn(
            "/web#id=%d&model=livechat.connector.email" % self.connector.id,
            response.headers["Location"],
        )
        self.connector.invalidate_cache()
        self.assertEqual(self.connector.oauth_status, "authorised")
        self.assertEqual(len(self.provider.token_requests("authorization_code")), 1)
        # Connect reads the mailbox through XOAUTH2: no password anywhere.
        self.assertFalse(self.connector.imap_password or self.connector.smtp_password)
        self.connector.action_connect()
        self.assertEqual(self.connector.state, "connected")
        self.imap.append(customer_email("<o1@example.com>", "My order is late."))
        self.assertEqual(self.fetch(), 1)
        [message] = self.messages("email")
        reply = self.take_and_reply(message, "It left today.")
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(len(self.smtp.received), 1)
        self.assertEqual(self.smtp.auth_attempts, [self.token().access_token])
        # One token served all of it: nothing was renewed.
        self.assertFalse(self.provider.token_requests("refresh_token"))

    def test_a_token_is_renewed_before_it_expires_and_once(self):
        self.authorise()
        self.connector.action_connect()
        first = self.token().access_token
        # Two minutes left: less than the margin, renewed before the fetch.
        self.token().expires_at = int(time.time()) + 120
        self.fetch()
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 1)
        renewed = self.token().access_token
        self.assertNotEqual(renewed, first)
        self.assertGreater(self.token().expires_at, time.time() + 3000)
        # Fresh now: the next fetches and replies use it as it is.
        self.imap.append(customer_email("<o2@example.com>", "Hello?"))
        self.fetch()
        reply = self.take_and_reply(self.messages("email"), "Hello Carla")
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 1)
        self.assertEqual(self.smtp.auth_attempts, [renewed])

    def test_a_token_the_servers_stop_accepting_is_renewed_and_used_once_more(self):
        self.authorise()
        self.connector.action_connect()
        self.provider.rotate = True
        self.imap.append(customer_email("<o3@example.com>", "Anyone there?"))
        # The servers refuse the token before its announced expiry (a
        # password change at the provider does that).
        self.provider.expire_access_tokens()
        self.assertEqual(self.fetch(), 1)
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 1)
        reply = self.take_and_reply(self.messages("email"), "Yes, here.")
        self.provider.expire_access_tokens()
        self.perform(self.delivery_jobs(reply))
        self.assertEqual(reply.delivery_state, "sent")
        # Refused at sign-in, renewed, sent once.
        self.assertEqual(len(self.smtp.auth_attempts), 2)
        self.assertEqual(len(self.smtp.received), 1)
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 2)
        # The rotated refresh token was kept: the next renewal works.
        self.provider.expire_access_tokens()
        self.imap.append(customer_email("<o4@example.com>", "Thanks"))
        self.assertEqual(self.fetch(), 1)

    def test_a_revoked_access_is_told_once_and_loses_nothing(self):
        self.authorise()
        self.connector.action_connect()
        self.imap.append(customer_email("<o5@example.com>", "First question"))
        self.fetch()
        reply = self.take_and_reply(self.messages("email"), "An answer")
        self.provider.revoke()
        self.imap.append(customer_email("<o6@example.com>", "Second question"))
        Message = self.env["mail.message"]
        before = Message.search_count([("model", "=", self.connector._name)])
        # The fetch cron meets the revocation, twice.
        self.connector._cron_fetch()
        self.connector._cron_fetch()
        self.env.clear()
        self.assertEqual(self.connector.oauth_status, "revoked")
        self.assertIn("no longer authorised", self.connector.last_error)
        self.assertNotIn(self.provider.client_secret, self.connector.last_error)
        notices = Message.search(
            [("model", "=", self.connector._name), ("res_id", "=", self.connector.id)]
        )
        self.assertEqual(len(notices) - before, 1, "told once, not every minute")
        told = notices.mapped("needaction_partner_ids")
        self.assertIn(self.supervisor.partner_id, told)
        managers = self.env.ref("livechat_sessions.group_livechat_manager").users
        self.assertTrue(managers.mapped("partner_id") <= told)
        self.assertNotIn(self.operator.partner_id, told)
        # Only one refusal reached the provider: after it, nobody asks again.
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 1)
        # The reply waits in the queue (not failed); the email waits in the
        # mailbox.
        [job] = self.delivery_jobs(reply)
        with self.assertRaises(RetryableJobError):
            self.perform(job)
        self.assertEqual(reply.delivery_state, "pending")
        self.assertEqual(len(self.messages("email")), 2)
        self.assertFalse(self.smtp.received)
        # Authorised again: the mailbox and the queue go on where they were.
        self.authorise()
        self.assertEqual(self.connector.oauth_status, "authorised")
        self.assertEqual(self.fetch(), 1)
        self.assertEqual(len(self.messages("email")), 3)
        self.perform(job)
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(len(self.smtp.received), 1)

    def test_consent_belongs_to_its_request_and_its_administrator(self):
        action = self.connector.action_oauth_authorize()
        answer = consent(action["url"])
        forged = "%d.%s" % (self.connector.id, "x" * 43)
        with self.assertRaises(AccessError):
            self.connector._oauth_finish(forged, code=answer["code"])
        for state in ("not-a-state", "9" * 30 + ".x", ""):
            with self.assertRaises(AccessError):
                self.connector._oauth_finish(state, code=answer["code"])
        # A supervisor cannot finish an administrator's consent, nor start one.
        Connector = self.connector.sudo(self.supervisor)
        with self.assertRaises(AccessError):
            Connector._oauth_finish(answer["state"], code=answer["code"])
        with self.assertRaises(AccessError):
            Connector.action_oauth_authorize()
        self.connector._oauth_finish(answer["state"], code=answer["code"])
        self.assertEqual(self.connector.oauth_status, "authorised")
        # The state is used: the same answer again is refused.
        with self.assertRaises(AccessError):
            self.connector._oauth_finish(answer["state"], code=answer["code"])
        # Over HTTP: a plain refusal, not a crash page.
        self.authenticate("admin", "admin")
        response = self.url_open("/livechat/email/oauth?state=%s" % forged)
        self.assertEqual(response.status_code, 403)
        self.assertIn("unknown or already used", response.text)
        # Nobody reads the tokens over RPC, administrators included; the
        # client secret is the administrators'.
        for user in (self.supervisor, self.env.ref("base.user_demo")):
            with self.assertRaises(AccessError):
                self.env["livechat.connector.email.token"].sudo(user).search([])
        manager = self.env["res.users"].create(
            {
                "name": "Inbox Manager",
                "login": "inbox_manager",
                "groups_id": [
                    (
                        6,
                        0,
                        [self.env.ref("livechat_sessions.group_livechat_manager").id],
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.env["livechat.connector.email.token"].sudo(manager).search([])
        with self.assertRaises(AccessError):
            Connector.read(["oauth_client_secret"])

    def test_a_refused_consent_is_recorded_and_stores_nothing(self):
        action = self.connector.action_oauth_authorize()
        answer = consent(action["url"], allow=False)
        self.assertEqual(answer["error"], "access_denied")
        self.connector._oauth_finish(answer["state"], error=answer["error"])
        self.env.clear()
        self.assertEqual(self.connector.oauth_status, "none")
        self.assertIn("access_denied", self.connector.last_error)
        with self.assertRaisesRegex(UserError, "mailbox answered"):
            self.connector.action_fetch()

    def test_authorising_needs_the_application_settings(self):
        self.connector.oauth_client_secret = False
        with self.assertRaisesRegex(UserError, "Client Secret"):
            self.connector.action_oauth_authorize()

    def test_presets_fill_the_endpoints_and_choose_oauth(self):
        with self.env.do_in_onchange():
            record = self.env["livechat.connector.email"].new({"preset": "gmail"})
            record._onchange_preset()
            self.assertEqual(record.auth_method, "oauth2")
            self.assertEqual(
                record.oauth_token_url, oauth.PRESETS["gmail"]["oauth_token_url"]
            )
            self.assertEqual(record.imap_host, "imap.gmail.com")


# Committed data, real concurrent transactions: after installation (at
# install time the module's own transaction holds locks).
@at_install(False)
@post_install(True)
class TestEmailOauthRace(TransactionCase):
    def setUp(self):
        super(TestEmailOauthRace, self).setUp()
        self.provider = FakeOAuth()
        self.addCleanup(self.provider.stop)
        self.registry = odoo.registry(self.env.cr.dbname)
        tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            group = env["res.groups"].create({"name": "Race inbox %s" % tag})
            chat = env["livechat.chat"].create(
                {
                    "name": "Race inbox %s" % tag,
                    "operator_group_ids": [(6, 0, group.ids)],
                    "supervisor_group_ids": [(6, 0, group.ids)],
                }
            )
            connector = env["livechat.connector.email"].create(
                {
                    "name": "Race inbox %s" % tag,
                    "chat_id": chat.id,
                    "email_address": "race-%s@shop.example" % tag,
                    "auth_method": "oauth2",
                    "oauth_client_id": self.provider.client_id,
                    "oauth_client_secret": self.provider.client_secret,
                    "oauth_token_url": self.provider.url + "/token",
                    "imap_host": "127.0.0.1",
                    "imap_login": "support",
                    "smtp_host": "127.0.0.1",
                }
            )
            self.provider.refresh.add("refresh-%s" % tag)
            env["livechat.connector.email.token"].create(
                {
                    "connector_id": connector.id,
                    "access_token": "stale",
                    "refresh_token": "refresh-%s" % tag,
                    "expires_at": int(time.time()) - 10,
                }
            )
            self.ids = chat.id, group.id, connector.id

    def tearDown(self):
        with self.registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            chat_id, group_id, _connector_id = self.ids
            env["livechat.chat"].browse(chat_id).unlink()
            env["res.groups"].browse(group_id).unlink()
        super(TestEmailOauthRace, self).tearDown()

    def test_two_workers_renewing_at_once_ask_the_provider_once(self):
        # The provider answers slowly: both workers find the token expired
        # and ask for a renewal while the first one is still waiting.
        original = self.provider._token

        def slow_token(form):
            time.sleep(0.5)
            return original(form)

        self.provider._token = slow_token
        got, errors = [], []

        def worker():
            try:
                with odoo.api.Environment.manage(), self.registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    connector = env["livechat.connector.email"].browse(self.ids[2])
                    got.append(connector._oauth_token())
            except Exception as error:  # pylint: disable=broad-except
                errors.append(error)

        threads = [threading.Thread(target=worker) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertFalse(errors)
        self.assertEqual(len(self.provider.token_requests("refresh_token")), 1)
        self.assertEqual(len(set(got)), 1)
        self.assertNotEqual(got[0], "stale")
