"""An administrator sets a live chat up: what the forms explain and offer."""

import socket
import uuid

from conftest import WAIT_MS, open_client, screenshot


def open_chat_form(page, rpc, name="Customer Support"):
    chat_id = rpc("admin", "livechat.chat", "search", [("name", "=", name)])[0]
    open_client(page, "model=livechat.chat&id=%d&view_type=form" % chat_id)
    page.wait_for_selector(".o_form_view .o_notebook")
    return page


def tab(page, label):
    page.click(".o_notebook .nav-tabs a:text-is('%s')" % label)
    return page.locator(".o_notebook .tab-pane.active")


def test_the_snippet_is_shown_whole_copied_and_tried(new_page, rpc, odoo_url):
    page = open_chat_form(new_page("admin"), rpc)
    pane = tab(page, "LiveChat")
    # The hint names the tag it means (Odoo used to swallow it as HTML).
    assert "just before </body> on any page" in pane.inner_text()
    snippet = pane.locator(".o_livechat_snippet .o_livechat_copy_value").input_value()
    assert snippet.startswith('<script src="') and "/livechat/widget/" in snippet
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=odoo_url
    )
    pane.locator(".o_livechat_snippet .o_livechat_copy_button").click()
    page.wait_for_selector(".o_notification:has-text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    screenshot(page, "chat-snippet")
    # The preview page carries the chat: its button opens the window.
    link = pane.locator("a.o_form_uri:has-text('Try the chat on a test page')")
    preview = page.context.new_page()
    preview.set_default_timeout(WAIT_MS)
    preview.goto(link.get_attribute("href"))
    preview.locator(".o_livechat_visitor .lcv-button").click()
    preview.wait_for_selector(".o_livechat_visitor .lcv-panel")


def test_naming_template_lists_its_placeholders_and_shows_an_example(new_page, rpc):
    page = open_chat_form(new_page("admin"), rpc)
    page.click(".o_form_button_edit")
    pane = tab(page, "Sessions")
    assert (
        "{DateTime(created)}" in pane.locator(".o_livechat_placeholders").inner_text()
    )
    template = pane.locator("input[name=session_name_template]")
    template.fill("{chat}: {customer}")
    template.press("Tab")
    example = pane.locator(".o_field_widget[name=session_name_preview]")
    page.wait_for_function(
        "el => el.innerText === 'Customer Support: Anna Petrova'",
        arg=example.element_handle(),
    )
    template.fill("{who} at {chat}")
    template.press("Tab")
    page.wait_for_function(
        "el => el.innerText.includes('{who} is not a placeholder. Use {customer}')",
        arg=example.element_handle(),
    )
    page.click(".o_form_button_cancel")
    # Odoo asks whether to discard the changes.
    page.click(".modal-footer .btn-primary")


def test_a_new_connector_says_when_its_webhook_address_appears(new_page, rpc):
    page = open_chat_form(new_page("admin"), rpc, name="Sales")
    page.click(".o_form_button_edit")
    tab(page, "Messengers")
    page.click(
        ".o_field_one2many[name=telegram_connector_ids] .o_field_x2many_list_row_add a"
    )
    dialog = page.locator(".modal .o_form_view")
    dialog.locator(".o_livechat_webhook_hint").wait_for()
    assert (
        "once the connector is saved"
        in dialog.locator(".o_livechat_webhook_hint").inner_text()
    )
    assert dialog.locator(".o_field_widget[name=webhook_url]:visible").count() == 0
    page.click(".modal-footer .btn:has-text('Discard')")
    page.click(".o_form_button_cancel")


def test_the_website_chat_colour_is_picked(new_page, rpc):
    page = open_chat_form(new_page("admin"), rpc, name="Sales")
    page.click(".o_form_button_edit")
    pane = tab(page, "LiveChat")
    pane.locator(".o_livechat_color_picker").fill("#12ab34")
    assert pane.locator(".o_livechat_color_code").input_value() == "#12AB34"
    page.click(".o_form_button_save")
    page.wait_for_selector(".o_form_button_edit")
    swatch = tab(page, "LiveChat").locator(".o_livechat_color_swatch")
    assert (
        swatch.evaluate("s => getComputedStyle(s).backgroundColor")
        == "rgb(18, 171, 52)"
    )
    chat = rpc(
        "admin",
        "livechat.chat",
        "search_read",
        [("name", "=", "Sales")],
        fields=["website_color"],
    )[0]
    assert chat["website_color"] == "#12AB34"


def test_a_failed_connect_says_which_host_and_never_shows_the_token(new_page, rpc):
    """The bot's API cannot be reached: Connect says so in one sentence
    naming the host, the token appears nowhere, and the connector keeps
    the failure (state and last error) for the administrator."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "4242:%s" % uuid.uuid4().hex
    chat_id = rpc("admin", "livechat.chat", "search", [("name", "=", "Sales")])[0]
    connector = rpc(
        "admin",
        "livechat.connector.telegram",
        "create",
        {
            "name": "Unreachable bot",
            "chat_id": chat_id,
            "bot_token": token,
            "api_url": "http://127.0.0.1:%d" % port,
            "fetch_avatars": False,
        },
    )
    try:
        page = new_page("admin")
        open_client(
            page, "model=livechat.connector.telegram&id=%d&view_type=form" % connector
        )
        page.click(".o_form_statusbar button:has-text('Connect')")
        dialog = page.locator(".modal:has-text('Could not connect Unreachable bot')")
        dialog.wait_for()
        text = dialog.inner_text()
        assert "127.0.0.1" in text
        assert token not in text and token.split(":")[1] not in text
        # Odoo's warning for a refusal, not its crash dialog with details.
        assert "Traceback" not in text and "See details" not in text
        screenshot(page, "connector-connect-failed")
        dialog.locator(".modal-footer .btn").first.click()
        # The form, read again, shows what was recorded.
        page.reload()
        error = page.locator(".o_field_widget[name=last_error]")
        error.wait_for()
        assert "127.0.0.1" in error.inner_text()
        assert token.split(":")[1] not in page.content()
        stored = rpc(
            "admin",
            "livechat.connector.telegram",
            "read",
            [connector],
            ["state", "last_error"],
        )[0]
        assert stored["state"] == "disconnected"
        assert token.split(":")[1] not in stored["last_error"]
    finally:
        rpc("admin", "livechat.connector.telegram", "unlink", [connector])


def test_a_supervisor_changes_their_chats_settings_not_the_administrators(
    new_page, rpc
):
    """Sofia supervises Sales: from Live Chats > Configuration she changes
    its closing message; its name, apps, business processes and
    connectors stay read-only to her."""
    page = new_page("supervisor")
    # Through the workspace's own menu (the Live Chats menu opens the
    # workspace, which hides Odoo's menu of the app once it shows).
    page.click("a[data-menu-xmlid='livechat_sessions.livechat_menu_root']")
    page.wait_for_selector(".o_lc_workspace .o_lc_ws_group")
    page.click(".o_lc_ws_sidebar .o_lc_ws_link:text-is('Live Chats')")
    page.click(".o_list_view td:text-is('Sales')")
    page.wait_for_selector(".o_form_view .o_notebook")
    page.click(".o_form_button_edit")
    page.wait_for_selector(".o_form_editable")
    # The administrators' settings: shown, not editable.
    assert page.locator("input.o_field_widget[name=name]").count() == 0
    assert page.locator(".o_field_widget[name=name]").inner_text() == "Sales"
    tab(page, "Business Processes")
    assert (
        page.locator(".o_field_many2manytags[name=process_create_ids] input").count()
        == 0
    )
    # What their role allows: the closing message.
    pane = tab(page, "Sessions")
    message = "Thanks for writing to Sales (%s)" % uuid.uuid4().hex[:6]
    pane.locator("textarea[name=closing_message]").fill(message)
    page.click(".o_form_button_save")
    page.wait_for_selector(".o_form_button_edit")
    chat = rpc(
        "admin",
        "livechat.chat",
        "search_read",
        [("name", "=", "Sales")],
        fields=["closing_message"],
    )[0]
    assert chat["closing_message"] == message
    rpc("admin", "livechat.chat", "write", [chat["id"]], {"closing_message": False})
