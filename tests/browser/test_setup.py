"""An administrator sets a live chat up: what the forms explain and offer."""

from conftest import open_client, screenshot


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
    preview.set_default_timeout(20000)
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
