"""An administrator connects a mailbox that takes no password (Gmail,
Microsoft 365): OAuth 2.0 consent in the browser, against dovecot's oauth2
passdb and a local authorization server."""

import importlib.util
from email.message import EmailMessage

import pytest
from conftest import ROOT, open_client, screenshot
from test_channels import fake_providers, replace_connector

_spec = importlib.util.spec_from_file_location(
    "mail_servers", ROOT / "livechat_channels" / "tests" / "mail_servers.py"
)
mail_servers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mail_servers)

MODEL = "livechat.connector.email"


@pytest.fixture
def oauth_mailbox(rpc):
    provider = fake_providers.FakeOAuth()
    introspect = provider.url + "/introspect"
    imap = mail_servers.Dovecot(introspection_url=introspect)
    smtp = mail_servers.SmtpSink(introspection_url=introspect)
    connector = replace_connector(
        rpc,
        MODEL,
        {
            "name": "Gmail-like inbox",
            "email_address": "support@shop.example",
            "auth_method": "oauth2",
            "oauth_client_id": provider.client_id,
            "oauth_client_secret": provider.client_secret,
            "oauth_authorize_url": provider.url + "/authorize",
            "oauth_token_url": provider.url + "/token",
            "oauth_scope": "mail",
            "imap_host": "127.0.0.1",
            "imap_port": imap.port,
            "imap_ssl": False,
            "imap_login": "support",
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp.port,
            "smtp_security": "none",
        },
    )
    yield provider, imap, connector
    rpc("admin", MODEL, "unlink", [connector])
    smtp.stop()
    imap.stop()
    provider.stop()


def customer_email(message_id, text):
    message = EmailMessage()
    message["From"] = "Gus <gus@example.com>"
    message["To"] = "support@shop.example"
    message["Subject"] = "Where is my parcel?"
    message["Message-Id"] = message_id
    message.set_content(text)
    return message.as_bytes()


def authorise(page):
    """Authorise on the form, allow on the provider's page, back on the form."""
    page.click(".o_form_statusbar button.o_lc_oauth_authorize")
    page.wait_for_selector("#allow")
    page.click("#allow")
    page.wait_for_selector(
        ".o_form_view .o_field_widget[name=oauth_status]:has-text('Authorised')"
    )


def test_an_administrator_authorises_a_mailbox_once_and_again_after_a_revocation(
    new_page, rpc, oauth_mailbox
):
    provider, imap, connector = oauth_mailbox
    page = new_page("admin")
    open_client(page, "model=%s&id=%d&view_type=form" % (MODEL, connector))
    status = page.locator(".o_form_view .o_field_widget[name=oauth_status]")
    status.wait_for()
    assert status.inner_text().strip() == "Not authorised"
    # The address to register with the provider, ready to copy; no password
    # fields for an OAuth mailbox.
    redirect = page.locator(
        ".o_field_widget[name=oauth_redirect_uri] .o_livechat_copy_value"
    ).input_value()
    assert redirect.endswith("/livechat/email/oauth")
    assert not page.locator(".o_field_widget[name=imap_password]").is_visible()
    authorise(page)
    assert provider.token_requests("authorization_code")
    screenshot(page, "email-oauth-authorised")
    # Connect signs in to dovecot with the token; Fetch Now takes the email.
    page.click(".o_form_statusbar button:has-text('Connect')")
    page.wait_for_selector(".o_statusbar_status .btn-primary:has-text('Connected')")
    imap.append(customer_email("<gus-1@example.com>", "It has been a week."))
    page.click(".o_form_statusbar button:has-text('Fetch Now')")
    page.wait_for_selector(".o_form_view .o_field_widget[name=last_uid]:text-is('1')")
    assert rpc(
        "admin",
        "livechat.message",
        "search_count",
        [("body", "ilike", "It has been a week")],
    )
    # The customer's Google account page: "remove access". Fetching meets
    # the revocation and says what to do.
    provider.revoke()
    imap.append(customer_email("<gus-2@example.com>", "Hello?"))
    page.click(".o_form_statusbar button:has-text('Fetch Now')")
    dialog = page.locator(".modal:has-text('no longer authorised')")
    dialog.wait_for()
    assert provider.client_secret not in dialog.inner_text()
    dialog.locator(".modal-footer .btn").first.click()
    page.reload()
    page.wait_for_selector(".o_lc_oauth_revoked:visible")
    assert "Access revoked" in status.inner_text()
    screenshot(page, "email-oauth-revoked")
    # Authorised again: the waiting email comes in, the warning is gone.
    authorise(page)
    assert not page.locator(".o_lc_oauth_revoked").is_visible()
    page.click(".o_form_statusbar button:has-text('Fetch Now')")
    page.wait_for_selector(".o_form_view .o_field_widget[name=last_uid]:text-is('2')")
    assert rpc(
        "admin", "livechat.message", "search_count", [("body", "ilike", "Hello?")]
    )
