"""The Live Chat Messages widget on forms (livechat_widget), as each role
uses it: placing it, reading, replying, starting a session, the archive."""

import uuid

from conftest import customer_writes, open_client, screenshot
from test_workspace import open_new_customer

WIDGET = ".o_livechat_messages"


def record_id(rpc, model, name):
    return rpc("admin", model, "search", [("name", "=", name)], limit=1)[0]


def open_widget(page, model, res_id, action_id=None):
    """Open the record's form and its Live Chat tab."""
    fragment = "id=%d&model=%s&view_type=form" % (res_id, model)
    if action_id:
        fragment += "&action=%d" % action_id
    open_client(page, fragment)
    page.click("a[role=tab]:text-is('Live Chat')")
    page.wait_for_selector(WIDGET + " .o_lcw_layout, " + WIDGET + " .o_lcw_reason")
    return page


def test_reader_reads_the_history_without_replying(new_page, rpc):
    anna = record_id(rpc, "res.partner", "Anna Petrova")
    page = open_widget(new_page("reader"), "res.partner", anna)
    page.wait_for_selector(".o_lc_message")
    text = page.inner_text(WIDGET)
    assert "My order #1042 has not arrived yet." in text
    # The earlier session of the same account in the same chat, above.
    assert "Where can I download my invoice?" in text
    assert page.locator(".o_lc_session_separator.o_lc_history").count() == 1
    assert page.locator(".o_lc_composer").count() == 0
    assert "neither an operator nor a supervisor" in page.inner_text(".o_lc_readonly")
    assert page.locator(".o_lcw_new").count() == 0
    screenshot(page, "widget-reader")


def test_employee_without_role_sees_why_and_no_data(new_page, rpc):
    anna = record_id(rpc, "res.partner", "Anna Petrova")
    page = open_widget(new_page("demo"), "res.partner", anna)
    reason = page.inner_text(WIDGET + " .o_lcw_reason")
    assert "Ask your administrator" in reason
    data = page.locator(WIDGET + " .o_lcw_session, " + WIDGET + " .o_lc_message")
    assert data.count() == 0


def test_operator_replies_with_quote_and_attachment(new_page, rpc):
    anna = record_id(rpc, "res.partner", "Anna Petrova")
    page = open_widget(new_page("operator"), "res.partner", anna)
    page.wait_for_selector(".o_lc_composer_input")
    # Right-click the customer's last message to quote it.
    last = page.locator(".o_lc_message.o_lc_in").last
    quoted = last.locator(".o_lc_body").inner_text().strip()
    last.click(button="right")
    page.wait_for_selector(".o_lc_composer_quote")
    assert quoted[:40] in page.inner_text(".o_lc_composer_quote")
    page.set_input_files(
        ".o_lc_file_input",
        files=[
            {"name": "label.txt", "mimeType": "text/plain", "buffer": b"parcel label"}
        ],
    )
    page.wait_for_selector(".o_lc_pending:has-text('label.txt')")
    body = "Your parcel ships today (%s)" % uuid.uuid4().hex[:8]
    page.fill(".o_lc_composer_input", body)
    page.press(".o_lc_composer_input", "Enter")
    sent = page.locator(".o_lc_message.o_lc_out:has-text('%s')" % body)
    sent.wait_for()
    assert sent.locator(".o_lc_quote").inner_text().startswith("Anna P.")
    assert "label.txt" in sent.inner_text()
    assert page.input_value(".o_lc_composer_input") == ""
    stored = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", body)],
        ["direction", "quote_id", "attachment_ids"],
    )
    assert len(stored) == 1
    assert stored[0]["direction"] == "out"
    assert stored[0]["quote_id"] and len(stored[0]["attachment_ids"]) == 1
    screenshot(page, "widget-operator-reply")


def test_customer_message_arrives_live(new_page, rpc):
    """The operator has the contact open; the customer writes (through the
    way in, over RPC as a connector would): it shows without a reload."""
    anna = record_id(rpc, "res.partner", "Anna Petrova")
    page = open_widget(new_page("operator"), "res.partner", anna)
    page.wait_for_selector(".o_lc_composer_input")
    body = "Any news? (%s)" % uuid.uuid4().hex[:8]
    message_id = customer_writes(rpc, "500100200", body)
    assert isinstance(message_id, int)
    page.wait_for_selector(".o_lc_message.o_lc_in:has-text('%s')" % body)


def test_supervisor_opens_the_archive_on_a_lead(new_page, rpc):
    lead = record_id(rpc, "crm.lead", "Brian O'Neil: 40 licences")
    page = open_widget(new_page("supervisor"), "crm.lead", lead)
    # By app item: the sessions bound to the lead, the queued one marked New.
    page.wait_for_selector(".o_lcw_session:has-text('Brian') .label:has-text('New')")
    page.click(".o_lcw_archive")
    page.wait_for_selector(".o_lcw_back")
    page.click(".o_lcw_session >> nth=0")
    page.wait_for_selector(".o_lc_message")
    assert "is closed" in page.inner_text(".o_lc_readonly")
    page.click(".o_lcw_back")
    page.wait_for_selector(".o_lcw_archive")
    screenshot(page, "widget-lead")


def test_operator_starts_a_new_session(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    partner = rpc("admin", "res.partner", "create", {"name": "Zoe %s" % token})
    rpc(
        "admin",
        "livechat.account",
        "create",
        {
            "name": "zoe-%s@example.com" % token,
            "channel": "email",
            "external_id": "zoe-%s@example.com" % token,
            "partner_id": partner,
        },
    )
    page = open_widget(new_page("operator"), "res.partner", partner)
    assert "+ New Session" in page.inner_text(".o_lcw_empty")
    page.click(".o_lcw_new")
    page.wait_for_selector(".modal .o_lcw_new_session")
    page.select_option(".modal .o_lcw_chat_select", label="Customer Support")
    assert "zoe-%s@example.com" % token in page.inner_text(".modal .o_lcw_account")
    page.fill(".modal .o_lcw_body", "Hello Zoe, here is your quote")
    page.click(".modal .o_lcw_start")
    page.wait_for_selector(".o_lcw_session:has-text('Zoe %s')" % token)
    page.wait_for_selector(".o_lc_message.o_lc_out:has-text('here is your quote')")
    page.wait_for_selector(".o_lc_composer_input")  # the operator handles it
    sessions = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("partner_id", "=", partner)],
        ["state", "operator_id"],
    )
    assert [s["state"] for s in sessions] == ["active"]
    assert sessions[0]["operator_id"][1] == "Oscar Operator"


# Odoo 11 renders header buttons without their method name: found by label.
PLACE = ".o_statusbar_buttons button:visible:has-text('Place the Widget')"
REMOVE = ".o_statusbar_buttons button:visible:has-text('Remove the Widget')"


def _placement_form(page):
    page.click("a[data-menu-xmlid='base.menu_administration']")
    # Settings > Live Chats (a section of the side menu) > Place the Widget
    page.wait_for_selector(".oe_secondary_menu_section:has-text('Live Chats')")
    page.click(
        "a[data-menu-xmlid="
        "'livechat_widget.livechat_widget_placement_settings_menu']"
    )
    page.wait_for_selector(".o_list_button_add")
    page.click(".o_list_button_add")
    page.wait_for_selector(".o_form_editable")


def _pick(page, field, text):
    page.fill(".o_field_widget[name=%s] input" % field, text)
    page.locator(".ui-autocomplete:visible li a").filter(has_text=text).first.wait_for()
    page.click(".ui-autocomplete:visible li a:text-is('%s')" % text)


def test_administrator_places_and_removes_the_widget(new_page, rpc):
    # A run stopped halfway may have left its placement behind.
    leftovers = rpc(
        "admin", "livechat.widget.placement", "search", [("model", "=", "res.users")]
    )
    rpc("admin", "livechat.widget.placement", "unlink", leftovers)
    page = new_page("admin")
    _placement_form(page)
    _pick(page, "model_id", "Users")
    # The model's first form view is proposed; take the one Users open with.
    page.wait_for_function(
        "document.querySelector('.o_field_widget[name=view_id] input').value !== ''"
    )
    _pick(page, "view_id", "res.users.form")
    # The one Account-type field of users is suggested.
    page.wait_for_function(
        "document.querySelector('.o_field_widget[name=account_field_id] input')"
        ".value.indexOf('Accounts') !== -1"
    )
    page.click(".o_form_button_save")
    # Click Place only once the saved form is shown again: a click during the
    # re-render lands on a button that is being replaced and does nothing.
    page.wait_for_selector(".o_form_view.o_form_readonly")
    page.click(PLACE)
    page.wait_for_selector(REMOVE)
    screenshot(page, "widget-placement")
    action = rpc("admin", "ir.model.data", "xmlid_to_res_id", "base.action_res_users")
    uid = record_id(rpc, "res.users", "Oscar Operator")
    open_widget(page, "res.users", uid, action)
    page.wait_for_selector(WIDGET + " .o_lcw_empty")  # no session: says so
    # Remove it again: the Users form has no Live Chat tab any more.
    placement = rpc(
        "admin", "livechat.widget.placement", "search", [("model", "=", "res.users")]
    )[-1]
    open_client(
        page, "id=%d&model=livechat.widget.placement&view_type=form" % placement
    )
    page.wait_for_selector(".o_form_view.o_form_readonly")
    page.click(REMOVE)
    page.wait_for_selector(PLACE)
    open_client(page, "id=%d&model=res.users&view_type=form&action=%d" % (uid, action))
    page.wait_for_selector(".o_form_view .o_notebook")
    assert page.locator("a[role=tab]:text-is('Live Chat')").count() == 0


def test_the_model_picker_offers_only_models_that_take_the_widget(new_page):
    """The wizard offers models whose forms can show sessions (contacts,
    leads, users...), never Countries, Email Threads or Queue Jobs; an empty
    form is titled as a new placement."""
    page = new_page("admin")
    _placement_form(page)
    assert page.inner_text(".o_form_view .oe_title h1").strip() == "New placement"
    page.fill(".o_field_widget[name=model_id] input", "Contact")
    offered = page.locator(".ui-autocomplete:visible li a")
    offered.filter(has_text="Contact").first.wait_for()
    assert not [name for name in offered.all_inner_texts() if "Channel" in name]
    # Nothing matches "Country": Odoo says so.
    page.fill(".o_field_widget[name=model_id] input", "Country")
    page.wait_for_selector(".ui-autocomplete:visible li:has-text('No results to show')")
    assert offered.filter(has_text="Country").count() == 0


def test_operator_binds_a_lead_and_the_lead_shows_the_session(new_page, rpc):
    """Leads are an app to register messages of the demo chats: +Bind of a
    lead binds the session to it, and the lead's Live Chat tab (by app
    item) shows it."""
    page, token = open_new_customer(
        new_page, rpc, "operator", "lead", "I want a quote for 12 chairs", "Lena"
    )
    lead_name = "Chairs for Lena %s" % token
    rpc("admin", "crm.lead", "create", {"name": lead_name, "type": "opportunity"})
    app = page.locator(".o_lc_ws_app[data-model='crm.lead']")
    app.locator(".o_lc_ws_bind").click()
    dialog = page.locator(".modal:has-text('Bind to this session')")
    dialog.locator(".o_searchview_input").fill(lead_name)
    dialog.locator(".o_searchview_input").press("Enter")
    dialog.locator(".o_data_row:has-text('%s')" % lead_name).click()
    record = app.locator(".o_lc_ws_open_record:has-text('%s')" % lead_name)
    record.wait_for()
    # The lead opens from the pane, and its Live Chat tab shows the session.
    record.click()
    page.wait_for_selector(
        ".o_form_view .o_field_widget[name=name]:has-text('%s')" % lead_name
    )
    page.click("a[role=tab]:text-is('Live Chat')")
    page.wait_for_selector(WIDGET + " .o_lcw_session:has-text('Lena %s')" % token)
