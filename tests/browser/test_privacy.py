"""A customer's data on request, as a live chat administrator handles it in
the web client: the export downloaded from the account, the erasure from
the contact."""

import io
import json
import uuid
import zipfile

from conftest import customer_writes, open_client, screenshot


def test_administrator_exports_then_erases_a_customer(new_page, rpc):
    tag = uuid.uuid4().hex[:8]
    external_id = "privacy-%s" % tag
    customer_writes(rpc, external_id, "My passport is P-%s" % tag, name="Paula")
    [account_id] = rpc(
        "admin", "livechat.account", "search", [("external_id", "=", external_id)]
    )
    contact_id = rpc(
        "admin", "res.partner", "create", {"name": "Paula Privacy %s" % tag}
    )
    rpc("admin", "livechat.account", "write", [account_id], {"partner_id": contact_id})
    page = new_page("admin")

    # The account's form: Export data downloads the zip.
    open_client(page, "id=%d&model=livechat.account&view_type=form" % account_id)
    export = ".o_form_statusbar button:has-text('Export data')"
    page.wait_for_selector(export)
    with page.expect_download() as download_info:
        page.click(export)
    download = download_info.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    customer = json.loads(archive.read("customer.json").decode())
    [session] = customer["sessions"]
    assert "P-%s" % tag in session["messages"][0]["body_html"]
    assert customer["accounts"][0]["contact"]["name"] == "Paula Privacy %s" % tag

    # The contact's Accounts tab: Erase live chat data asks first.
    open_client(page, "id=%d&model=res.partner&view_type=form" % contact_id)
    page.click("a[role=tab]:text-is('Accounts')")
    page.click(".o_form_view button:has-text('Erase live chat data')")
    page.wait_for_selector(".modal:has-text('This cannot be undone')")
    screenshot(page, "privacy-erasure-confirm")
    page.click(".modal-footer .btn-primary")
    # The Privacy Log's record of it.
    page.wait_for_selector(
        ".o_form_view .o_field_widget[name=kind]:has-text('Erasure')"
    )
    assert page.inner_text(".o_form_view .o_field_widget[name=message_count]") == "1"
    assert page.inner_text(".o_form_view .o_field_widget[name=user_id]") == (
        "Administrator"
    )
    assert "Erased customer" in page.inner_text(
        ".o_form_view .o_field_widget[name=account_ids]"
    )
    screenshot(page, "privacy-erasure")

    # Nothing of hers is left; her session stays, anonymised.
    [account] = rpc(
        "admin",
        "livechat.account",
        "read",
        [account_id],
        ["name", "external_id", "partner_id", "active"],
    )
    assert account["name"] == "Erased customer"
    assert account["external_id"] == "erased-%d" % account_id
    assert not account["partner_id"] and not account["active"]
    assert not rpc(
        "admin",
        "livechat.message",
        "search",
        [("body", "ilike", "P-%s" % tag)],
    )
    [session] = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("account_id", "=", account_id)],
        ["name", "state"],
    )
    assert session["name"] == "Erased customer" and session["state"] == "closed"
