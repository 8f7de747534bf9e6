# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One customer, one timeline: an operator answering a customer's Telegram
message switches to "All channels", reads what the same contact wrote by
email in the same conversation, and answers through the email account; the
contact's form shows the same timeline in its Live Chat Messages widget."""
import uuid

from conftest import customer_writes, screenshot
from test_widget import open_widget
from test_workspace import open_group, open_workspace


def test_operator_reads_the_timeline_and_replies_by_email(new_page, rpc):
    tag = uuid.uuid4().hex[:8]
    name = "Tina %s" % tag
    customer_writes(
        rpc,
        "tina-%s@example.com" % tag,
        "Invoice 77 is wrong (%s)" % tag,
        name=name,
        channel="email",
    )
    customer_writes(rpc, "tina-%s" % tag, "Any news? (%s)" % tag, name=name)
    # An administrator bound both accounts to Tina's contact.
    partner_id = rpc("admin", "res.partner", "create", {"name": name})
    accounts = rpc("admin", "livechat.account", "search", [("name", "=", name)])
    assert len(accounts) == 2
    rpc("admin", "livechat.account", "write", accounts, {"partner_id": partner_id})

    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('%s (Telegram)')" % name)
    page.wait_for_selector(".o_lc_message:has-text('Any news? (%s)')" % tag)
    # This chat's history on Telegram only: the email is not in it.
    assert page.locator(".o_lc_message:has-text('Invoice 77')").count() == 0
    toggle = page.locator(".o_lc_timeline_toggle")
    if "active" in (toggle.get_attribute("class") or ""):
        # The switch is kept per browser: start from the chat's history.
        toggle.click()
        page.wait_for_selector(".o_lc_timeline_toggle:not(.active)")
    page.locator(".o_lc_timeline_toggle").click()
    page.wait_for_selector(".o_lc_timeline_toggle.active")
    page.wait_for_selector(".o_lc_message:has-text('Invoice 77 is wrong (%s)')" % tag)
    # Each session is labelled with its channel, in time order.
    separators = page.locator(".o_lc_session_separator").all_inner_texts()
    assert any("Email" in text for text in separators), separators
    texts = page.locator(".o_lc_thread .o_lc_body").all_inner_texts()
    assert texts.index("Invoice 77 is wrong (%s)" % tag) < texts.index(
        "Any news? (%s)" % tag
    )

    via = page.locator(".o_lc_reply_via")
    via.wait_for()
    email_option = via.locator("option", has_text="Email")
    via.select_option(email_option.get_attribute("value"))
    page.fill(".o_lc_composer_input", "The corrected invoice is on its way (%s)" % tag)
    screenshot(page, "workspace-timeline")
    page.click(".o_lc_send")
    page.wait_for_selector(
        ".o_lc_message.o_lc_out:has-text('The corrected invoice is on its way (%s)')"
        % tag
    )
    # It went into the email session (taken by the reply), not Telegram's.
    [reply] = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", "corrected invoice is on its way (%s)" % tag)],
        ["channel", "session_id"],
    )
    assert reply["channel"] == "email"
    [session] = rpc(
        "admin",
        "livechat.session",
        "read",
        [reply["session_id"][0]],
        ["account_id", "state", "operator_id"],
    )
    assert session["account_id"][1].startswith(name)
    assert "Email" in session["account_id"][1]
    assert session["state"] == "active"
    assert session["operator_id"][1] == "Oscar Operator"
    # Back to this chat's history: the switch turns the timeline off.
    page.locator(".o_lc_timeline_toggle").click()
    page.wait_for_selector(".o_lc_timeline_toggle:not(.active)")
    page.wait_for_selector(".o_lc_message:has-text('Invoice 77')", state="detached")

    # The contact's form: the widget's conversation has the same switch.
    open_widget(page, "res.partner", partner_id)
    page.wait_for_selector(".o_livechat_messages .o_lc_message")
    page.locator(".o_livechat_messages .o_lc_timeline_toggle").click()
    for text in ("Invoice 77 is wrong", "Any news?", "corrected invoice"):
        page.wait_for_selector(
            ".o_livechat_messages .o_lc_message:has-text('%s'):has-text('%s')"
            % (text, tag)
        )
