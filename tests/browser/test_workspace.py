"""The Live Chats workspace (operators and supervisors), live over the bus."""

import base64
import datetime
import os
import uuid

from conftest import customer_writes, psql, screenshot

MENU = "a[data-menu-xmlid='livechat_sessions.livechat_menu_root']"


def open_workspace(page):
    page.click(MENU)
    page.wait_for_selector(".o_lc_workspace .o_lc_ws_group")
    return page


def group(page, chat, name):
    """A session group of a chat in the left menu."""
    return page.locator(".o_lc_ws_chat", has_text=chat).locator(
        ".o_lc_ws_group", has_text=name
    )


def open_group(page, chat, name):
    """Click a session group, as a person would: the menu keeps its nodes
    while bus notifications update its counters, so the click lands."""
    group(page, chat, name).click()
    page.wait_for_selector(
        ".o_lc_ws_group.active[data-chat] >> text=%s" % name, state="attached"
    )


def open_new_customer(new_page, rpc, login, prefix, text, name):
    """A new customer writes (text and name get a unique token); ``login``
    opens their session from the Customer Support queue. Returns the page
    and the token."""
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc,
        "%s-%s" % (prefix, token),
        "%s (%s)" % (text, token),
        name="%s %s" % (name, token),
    )
    page = open_workspace(new_page(login))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('%s %s')" % (name, token))
    return page, token


def count(page, chat, name):
    return int(group(page, chat, name).locator(".badge").inner_text())


def test_message_arrives_live_and_operator_takes_replies_closes(new_page, rpc):
    operator = open_workspace(new_page("operator"))
    supervisor = open_workspace(new_page("supervisor"))
    for page in (operator, supervisor):
        open_group(page, "Customer Support", "Queue")
        page.wait_for_selector(".o_lc_ws_group.active:has-text('Queue')")
    queued_before = count(operator, "Customer Support", "Queue")
    mine_before = count(operator, "Customer Support", "My sessions")

    # A customer writes (through the way in, as a connector would).
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc,
        "ws-%s" % token,
        "My invoice is wrong (%s)" % token,
        name="Walter %s" % token,
    )

    # Both browsers show it without a reload: the list and the counters.
    for page in (operator, supervisor):
        page.wait_for_selector(".o_lc_ws_session:has-text('Walter %s')" % token)
        page.wait_for_function(
            "([chat, n]) => [...document.querySelectorAll('.o_lc_ws_chat')]"
            ".find(c => c.innerText.toUpperCase().includes(chat))"
            ".querySelector('.o_lc_ws_group[data-group=queue] .badge').innerText == n",
            arg=["CUSTOMER SUPPORT", str(queued_before + 1)],
        )
    screenshot(supervisor, "workspace-supervisor")

    page = operator
    page.click(".o_lc_ws_session:has-text('Walter %s')" % token)
    page.wait_for_selector(".o_lc_message:has-text('My invoice is wrong (%s)')" % token)
    # A queued session: Take, but not Close Session (only its operator or a
    # supervisor may close it, and it has no operator yet).
    page.wait_for_selector(".o_lc_ws_action:has-text('Take')")
    assert page.locator(".o_lc_ws_action:has-text('Close Session')").count() == 0
    page.click(".o_lc_ws_action:has-text('Take')")
    page.wait_for_function(
        "n => document.querySelector('.o_lc_ws_group.active') &&"
        " [...document.querySelectorAll('.o_lc_ws_group[data-group=mine] .badge')]"
        ".some(b => b.innerText == n)",
        arg=str(mine_before + 1),
    )
    page.wait_for_selector(".o_lc_ws_about:has-text('Oscar Operator')")
    page.fill(".o_lc_composer_input", "Let me fix it (%s)" % token)
    page.press(".o_lc_composer_input", "Enter")
    page.wait_for_selector(
        ".o_lc_message.o_lc_out:has-text('Let me fix it (%s)')" % token
    )
    screenshot(page, "workspace-operator")
    # Renamed from the About pane: the list and the header follow.
    page.fill(".o_lc_ws_name", "Walter's invoice %s" % token)
    page.press(".o_lc_ws_name", "Enter")
    page.wait_for_selector(
        '.o_lc_conversation_header:has-text("Walter\'s invoice %s")' % token
    )
    # Closing asks first, then says what happened.
    page.click(".o_lc_ws_action:has-text('Close Session')")
    page.wait_for_selector(".modal:has-text('Close this session?')")
    page.click(".modal-footer .btn-primary")
    page.wait_for_selector(".o_notification:has-text('Session closed')")
    page.wait_for_selector(".o_lc_conversation .o_lc_state_closed")
    sessions = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("name", "=", "Walter's invoice %s" % token)],
        ["state", "operator_id"],
    )
    assert [s["state"] for s in sessions] == ["closed"]
    assert sessions[0]["operator_id"][1] == "Oscar Operator"


def test_offline_operator_views_only(new_page):
    page = open_workspace(new_page("operator2"))
    page.uncheck(".o_lc_ws_online")
    page.wait_for_selector(".o_lc_ws_status:has-text('Offline')")
    open_group(page, "Customer Support", "Queue")
    page.wait_for_selector(".o_lc_ws_session")
    page.click(".o_lc_ws_session >> nth=0")
    page.wait_for_selector(".o_lc_readonly:has-text('Offline')")
    page.check(".o_lc_ws_online")
    page.wait_for_selector(".o_lc_ws_status:has-text('Online')")


def test_reader_has_no_workspace(new_page):
    page = new_page("reader")
    page.click(MENU)
    page.wait_for_selector(".o_list_view")
    assert page.locator(".o_lc_workspace").count() == 0
    assert (
        page.locator(
            "a[data-menu-xmlid='livechat_sessions.livechat_workspace_menu']"
        ).count()
        == 0
    )


def test_response_templates_in_the_composer(new_page):
    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "My sessions")
    page.click(".o_lc_ws_session:has-text('Anna Petrova')")
    page.wait_for_selector(".o_lc_composer_input")
    # Picked from the list...
    page.click(".o_lc_templates_toggle")
    page.click(".o_lc_template:has-text('Greeting')")
    expected = "Hello Anna Petrova, this is Oscar Operator from Customer Support."
    assert expected in page.input_value(".o_lc_composer_input")
    # ...or typed as a shortcut, then Tab.
    page.fill(".o_lc_composer_input", "/hello")
    page.press(".o_lc_composer_input", "Tab")
    page.wait_for_function(
        "t => document.querySelector('.o_lc_composer_input').value.indexOf(t) === 0",
        arg="Hello Anna Petrova",
    )
    # ...or suggested while typed: "/hel" lists Greeting, Tab inserts it.
    page.fill(".o_lc_composer_input", "Hi! /HEL")
    page.wait_for_selector(".o_lc_suggestion.active:has-text('/hello')")
    screenshot(page, "workspace-suggestions")
    page.press(".o_lc_composer_input", "Tab")
    page.wait_for_function(
        "t => document.querySelector('.o_lc_composer_input').value === t",
        arg="Hi! %s How can I help you?" % expected,
    )
    assert page.locator(".o_lc_suggestions").is_hidden()


def test_supervisor_locks_a_customer(new_page, rpc):
    page, token = open_new_customer(
        new_page, rpc, "supervisor", "lock", "Buy cheap watches", "Spammy"
    )
    page.click(".o_lc_ws_lock")
    # The rule's what, where and until when: by default this account, in
    # this live chat only, until unlocked.
    assert page.is_checked(".modal input[name=o_lc_lock_what][value=account]")
    assert page.is_checked(".modal input[name=o_lc_lock_where][value=chat]")
    assert page.locator(".modal input[name=o_lc_lock_where][value=supervised]").count()
    page.fill(".modal .o_lc_ws_lock_reason", "Watch spam")
    page.click(".modal .o_lc_ws_lock_confirm")
    page.wait_for_selector(".o_lc_ws_about button:has-text('Unlock account')")
    # Spam leaves the queue.
    page.wait_for_selector(
        ".o_lc_ws_session:has-text('Spammy %s')" % token, state="detached"
    )
    rules = rpc(
        "admin",
        "livechat.blocklist.rule",
        "search_read",
        [("name", "=", "Watch spam")],
        ["account_id", "chat_id"],
    )
    [rule] = [
        r for r in rules if "Spammy %s" % token in (r["account_id"] or [0, ""])[1]
    ]
    assert rule["chat_id"][1] == "Customer Support"


def test_supervisor_assigns_a_session(new_page, rpc):
    page, token = open_new_customer(
        new_page, rpc, "supervisor", "assign", "Can someone call me?", "Nora"
    )
    # The picker lists the chat's operators and groups only, searched as
    # the supervisor types.
    page.wait_for_selector(".o_lc_ws_assign")
    options = page.eval_on_selector_all(
        ".o_lc_ws_about datalist option", "os => os.map(o => o.value)"
    )
    assert "Olga Operator" in options and "Oscar Operator" in options
    assert "Rita Reader" not in options
    page.fill(".o_lc_ws_assign", "Nobody Known")
    page.click(".o_lc_ws_assign_button")
    page.wait_for_selector(".o_notification:has-text('Pick an operator or a group')")
    page.fill(".o_lc_ws_assign", "olga operator")
    page.press(".o_lc_ws_assign", "Enter")
    page.wait_for_selector(".o_notification:has-text('Olga Operator now handles')")
    page.wait_for_selector(".o_lc_ws_about dd:has-text('Olga Operator')")
    # The conversation keeps the line, under the customer's message.
    page.wait_for_selector(
        ".o_lc_thread .o_lc_event_assigned:has-text("
        "'Assigned to Olga Operator by Sofia Supervisor')"
    )
    assert page.eval_on_selector(
        ".o_lc_thread",
        "t => t.lastElementChild.classList.contains('o_lc_event_assigned')",
    )
    sessions = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("name", "ilike", token)],
        ["state", "operator_id"],
    )
    assert sessions[0]["state"] == "active"
    assert sessions[0]["operator_id"][1] == "Olga Operator"


def test_systray_switch_and_unread_count_on_the_menu(new_page, rpc):
    page = new_page("operator")
    page.wait_for_selector(".o_lc_systray_toggle.o_lc_online")
    # A customer of the operator's active session writes: the Live Chats menu
    # shows the unread count, without a reload.
    customer_writes(rpc, "500100200", "Are you there? (%s)" % uuid.uuid4().hex[:8])
    page.wait_for_selector(MENU + " .o_lc_menu_unread")
    assert int(page.inner_text(MENU + " .o_lc_menu_unread")) >= 1
    page.click(".o_lc_systray_toggle")
    page.wait_for_selector(".o_lc_systray_toggle:not(.o_lc_online)")
    assert "Offline" in page.inner_text(".o_lc_systray")
    page.click(".o_lc_systray_toggle")
    page.wait_for_selector(".o_lc_systray_toggle.o_lc_online")


def test_systray_counts_waiting_customers_from_any_app(new_page, rpc):
    page = new_page("operator")
    page.click("a[data-menu-xmlid='contacts.menu_contacts']")
    page.wait_for_selector(".o_kanban_view")
    page.wait_for_selector(".o_lc_systray_toggle.o_lc_online")

    def waiting():
        if not page.locator(".o_lc_systray_queued:visible").count():
            return 0
        return int(page.inner_text(".o_lc_systray_queued .badge") or 0)

    before = waiting()
    # A new customer nobody has taken: the count grows live, in Contacts.
    customer_writes(
        rpc, "wait-%s" % uuid.uuid4().hex[:8], "Hello?", name="Walter Waiting"
    )
    page.wait_for_function(
        "n => { const b = document.querySelector('.o_lc_systray_queued .badge');"
        " return b && parseInt(b.textContent || '0') === n; }",
        arg=before + 1,
    )
    page.click(".o_lc_systray_queued")
    page.wait_for_selector(".o_lc_workspace .o_lc_ws_group")


def test_no_systray_switch_without_a_role(new_page):
    page = new_page("demo")
    page.wait_for_selector(".o_lc_systray", state="attached")
    assert not page.locator(".o_lc_systray").is_visible()


def test_queue_counters_open_the_next_session_and_menu_links(new_page, rpc):
    operator = open_workspace(new_page("operator"))
    counter = operator.locator(".o_lc_ws_queue_operator")
    before = int(counter.inner_text())
    # Operators get the queue counter only; supervisors' counter is theirs.
    assert operator.locator(".o_lc_ws_unassigned").count() == 0
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc,
        "next-%s" % token,
        "Where is my parcel? (%s)" % token,
        name="Quentin %s" % token,
    )
    operator.wait_for_function(
        "n => document.querySelector('.o_lc_ws_queue_operator').innerText == n",
        arg=str(before + 1),
    )
    # The menu was updated in place: the group clicked before the burst is
    # still the same node, and still marked active.
    assert operator.locator(".o_lc_ws_group.active").count() == 1

    # The counter opens the next queued session (the oldest, highest
    # priority first), in its chat's Queue.
    expected = rpc("operator", "livechat.workspace", "next_queued")
    name = rpc(
        "operator", "livechat.session", "read", [expected["session_id"]], ["name"]
    )[0]["name"]
    operator.click(".o_lc_ws_next")
    operator.wait_for_selector(".o_lc_ws_group.active[data-group=queue]")
    operator.wait_for_selector(".o_lc_conversation_header:has-text(%r)" % name)
    operator.wait_for_selector(".o_lc_ws_action:has-text('Take')")

    # My Desk opens Odoo's list of sessions, with its search view.
    assert operator.locator(".o_lc_ws_link:has-text('Performance')").count() == 0
    operator.click(".o_lc_ws_link:has-text('Sessions')")
    operator.wait_for_selector(".o_list_view")
    operator.wait_for_selector(".o_searchview")

    supervisor = open_workspace(new_page("supervisor"))
    assert int(supervisor.inner_text(".o_lc_ws_queue_supervisor")) >= 1
    supervisor.click(".o_lc_ws_unassigned")
    supervisor.wait_for_selector(".o_lc_ws_group.active[data-group=queue]")
    supervisor.wait_for_selector(".o_lc_ws_session:has-text('Quentin %s')" % token)
    screenshot(supervisor, "workspace-menu")
    supervisor.click('.o_lc_ws_link:has-text("Operators\' Performance")')
    supervisor.wait_for_selector(".o_graph, .o_pivot, .o_list_view")


def test_operator_starts_a_new_session(new_page, rpc):
    # Two customers whose earlier sessions are closed: one on Telegram (the
    # chat has no connected bot: a first message could not leave), one from
    # the website chat.
    token = uuid.uuid4().hex[:8]
    for external_id, name, channel in (
        ("new-tg-%s" % token, "Yuri %s" % token, "telegram"),
        ("new-web-%s" % token, "Yara %s" % token, "website"),
    ):
        message_id = customer_writes(
            rpc, external_id, "Thanks (%s)" % token, name=name, channel=channel
        )
        session_id = rpc(
            "admin", "livechat.message", "read", [message_id], ["session_id"]
        )[0]["session_id"][0]
        rpc("supervisor", "livechat.session", "action_close", [session_id])

    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "My sessions")
    page.click(".o_lc_ws_new_session")
    page.wait_for_selector(".modal .o_lc_new_session_start")
    account = ".modal .o_field_widget[name=account_id] input"
    # Only customers a message can reach are offered.
    page.fill(account, "Yuri %s" % token)
    page.wait_for_selector(".ui-autocomplete li:has-text('No results to show')")
    assert page.locator(".ui-autocomplete li:has-text('Yuri %s')" % token).count() == 0
    page.fill(account, "Yara %s" % token)
    page.click(".ui-autocomplete li a:has-text('Yara %s')" % token)
    assert page.locator(".modal .o_lc_cannot_send:visible").count() == 0
    page.fill(
        ".modal .o_field_widget[name=body]", "Your refund is on its way (%s)" % token
    )
    screenshot(page, "workspace-new-session")
    page.click(".modal .o_lc_new_session_start")
    # The workspace opens on the new session, in My sessions, with the
    # operator's first message.
    page.wait_for_selector(".o_lc_ws_group.active[data-group=mine]")
    page.wait_for_selector(
        ".o_lc_message.o_lc_out:has-text('Your refund is on its way (%s)')" % token
    )
    sessions = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("account_id.name", "=", "Yara %s" % token), ("state", "=", "active")],
        ["operator_id"],
    )
    assert [s["operator_id"][1] for s in sessions] == ["Oscar Operator"]


def test_operator_binds_a_new_contact_from_the_about_pane(new_page, rpc):
    page, token = open_new_customer(
        new_page, rpc, "operator", "bind", "I'd like a quote", "Ingrid"
    )
    # The customer: their name and channel.
    page.wait_for_selector(".o_lc_ws_customer:has-text('Telegram: bind-%s')" % token)
    app = page.locator(".o_lc_ws_app[data-model='res.partner']")
    app.locator(".o_lc_ws_bind").click()
    # +Bind offers the contacts, and a new one from the customer's name.
    page.click(".modal-footer button:has-text('Create')")
    form = page.locator(".modal").last
    form.locator(".o_field_widget[name=name]").wait_for()
    name = form.locator(".o_field_widget[name=name]").input_value()
    assert name == "Ingrid %s" % token
    form.locator(".modal-footer button:has-text('Save')").click()
    app.locator(".o_lc_ws_open_record:has-text('Ingrid %s')" % token).wait_for()
    screenshot(page, "workspace-bind")
    accounts = rpc(
        "admin",
        "livechat.account",
        "search_read",
        [("external_id", "=", "bind-%s" % token)],
        ["partner_id"],
    )
    assert accounts[0]["partner_id"][1] == "Ingrid %s" % token
    # The contact opens from the pane.
    app.locator(".o_lc_ws_open_record:has-text('Ingrid %s')" % token).click()
    page.wait_for_selector(
        ".o_form_view .o_field_widget[name=name]:has-text('Ingrid %s')" % token
    )


def test_administrator_creates_the_first_live_chat(new_page, rpc):
    chat_ids = rpc("admin", "livechat.chat", "search", [])
    rpc("admin", "livechat.chat", "write", chat_ids, {"active": False})
    created = []
    try:
        page = new_page("admin")
        page.click(MENU)
        # No live chat exists: the workspace asks for the first one.
        page.wait_for_selector(".modal .o_lc_first_chat_create")
        page.fill(".modal .o_field_widget[name=name]", "Help Desk")
        screenshot(page, "workspace-first-chat")
        page.click(".modal .o_lc_first_chat_create")
        # Then its settings open.
        page.wait_for_selector(
            ".o_form_view .o_field_widget[name=name]:has-text('Help Desk')"
        )
        created = rpc("admin", "livechat.chat", "search", [("name", "=", "Help Desk")])
        assert len(created) == 1
    finally:
        rpc("admin", "livechat.chat", "write", chat_ids, {"active": True})
        if created:
            rpc("admin", "livechat.chat", "write", created, {"active": False})


# A 1x1 PNG: a customer's photo.
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
    "hKmMIQAAAABJRU5ErkJggg=="
)


def test_operator_searches_the_open_session_and_saves_a_file(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    external_id = "find-%s" % token
    customer_writes(
        rpc, external_id, "Where is my parcel? (%s)" % token, name="Paula %s" % token
    )
    chat_ids = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )
    rpc(
        "admin",
        "livechat.test.gateway",
        "receive",
        chat_ids[0],
        "telegram",
        {"external_id": external_id},
        "Here is a photo of the label",
        attachments=[
            {"name": "label-%s.png" % token, "datas": PNG, "mimetype": "image/png"}
        ],
    )
    # More than a page of messages after the first one: the search has to
    # load older pages to show it.
    for n in range(35):
        customer_writes(rpc, external_id, "Still waiting, message %d" % n)
    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('Paula %s')" % token)
    page.locator(".o_lc_message:has-text('message 34')").wait_for()
    # Each message has its author's picture.
    assert page.locator(".o_lc_message_row .o_lc_avatar").count() >= 30
    assert page.locator(".o_lc_message:has-text('Where is my parcel')").count() == 0

    search = page.locator(".o_lc_ws_search")
    assert search.get_attribute("placeholder") == "Search this session…"
    search.fill("PARCEL")
    page.wait_for_selector(".o_lc_search_bar:has-text('1 message contains')")
    hit = page.locator(".o_lc_message.o_lc_hit_current")
    assert "Where is my parcel" in hit.inner_text()
    assert hit.locator("mark.o_lc_hit").inner_text() == "parcel"
    # The hit is scrolled into the thread's view.
    assert page.evaluate(
        """() => {
            const box = (s) => document.querySelector(s).getBoundingClientRect();
            const thread = box('.o_lc_thread');
            const hit = box('.o_lc_hit_current');
            return hit.top >= thread.top && hit.bottom <= thread.bottom;
        }"""
    )
    screenshot(page, "workspace-search")
    search.fill("message 3")
    page.wait_for_selector(".o_lc_search_bar:has-text('6 messages contain')")
    page.wait_for_selector(".o_lc_hit_position:has-text('1 of 6')")
    page.click(".o_lc_hit_prev")
    page.wait_for_selector(".o_lc_hit_position:has-text('2 of 6')")
    assert "message 33" in page.locator(".o_lc_hit_current").inner_text()
    page.click(".o_lc_search_clear")
    page.wait_for_selector(".o_lc_search_bar.o_lc_searching", state="detached")
    assert page.locator("mark.o_lc_hit").count() == 0
    assert search.input_value() == ""
    # Escape in the search bar ends a search too.
    search.fill("label")
    page.wait_for_selector("mark.o_lc_hit")
    search.press("Escape")
    page.wait_for_selector("mark.o_lc_hit", state="detached")
    assert search.input_value() == ""

    # Save a copy of the customer's photo on a CRM lead.
    photo = page.locator(".o_lc_message:has-text('photo of the label')")
    photo.locator(".o_lc_save_attachment").click()
    page.select_option(".modal .o_lc_save_target", "crm.lead")
    page.click(".modal-footer button:has-text('Save')")
    dialog = page.locator(".modal:has-text('Save the file on')")
    dialog.locator(".o_data_row").first.click()
    page.wait_for_selector(".o_notification:has-text('A copy is attached to')")
    copies = rpc(
        "admin",
        "ir.attachment",
        "search_read",
        [("name", "=", "label-%s.png" % token), ("res_model", "=", "crm.lead")],
        ["res_id"],
    )
    assert len(copies) == 1
    notes = rpc(
        "admin",
        "mail.message",
        "search_read",
        [
            ("model", "=", "crm.lead"),
            ("res_id", "=", copies[0]["res_id"]),
            ("attachment_ids", "in", [copies[0]["id"]]),
        ],
        ["body"],
    )
    assert "File saved from the live chat session" in notes[0]["body"]

    # Back to searching session names.
    page.click(".o_lc_ws_close_session")
    page.wait_for_selector(".o_lc_ws_placeholder")
    assert search.get_attribute("placeholder") == "Search session names…"
    search.fill("Paula %s" % token)
    page.wait_for_function("document.querySelectorAll('.o_lc_ws_session').length === 1")
    assert "Paula %s" % token in page.locator(".o_lc_ws_session").inner_text()


def test_workspace_fits_common_screens(new_page, rpc):
    """No layout break at 1280x800 or 1920x1080: nothing runs out of the
    window, every pane shows, the composer stays on screen."""
    for width, height in ((1280, 800), (1920, 1080)):
        page = open_workspace(new_page("supervisor", width=width, height=height))
        open_group(page, "Customer Support", "Queue")
        page.locator(".o_lc_ws_session").first.click()
        page.wait_for_selector(".o_lc_ws_about .o_lc_ws_customer")
        page.wait_for_selector(".o_lc_composer, .o_lc_readonly")
        boxes = page.evaluate(
            """() => {
                const box = (s) => {
                    const e = document.querySelector(s);
                    if (!e) { return null; }
                    const r = e.getBoundingClientRect();
                    return {left: r.left, right: r.right, top: r.top,
                            bottom: r.bottom, width: r.width};
                };
                return {
                    scroll: document.documentElement.scrollWidth,
                    client: document.documentElement.clientWidth,
                    panes: ['.o_lc_ws_sidebar', '.o_lc_ws_list',
                            '.o_lc_ws_conversation', '.o_lc_ws_about',
                            '.o_lc_composer, .o_lc_readonly'].map(box),
                };
            }"""
        )
        assert boxes["scroll"] <= boxes["client"], (width, boxes)
        for pane in boxes["panes"]:
            assert pane and pane["width"] > 100, (width, boxes)
            assert pane["left"] >= 0 and pane["right"] <= width + 0.5, (width, pane)
            assert pane["bottom"] <= height + 0.5, (width, pane)
        screenshot(page, "workspace-%dx%d" % (width, height))


def test_a_refusal_is_one_plain_sentence_not_an_error_dialog(new_page, rpc):
    """Two operators open the same queued session; one takes it. The other,
    whose page has not heard of it yet (its bus is held here), clicks Take:
    the server refuses, and the page says so in one sentence, in Odoo's
    notification, with no error dialog."""
    token = uuid.uuid4().hex[:8]
    customer_writes(rpc, "plain-%s" % token, "Hi (%s)" % token, name="Pia %s" % token)
    late = new_page("operator2")
    # Hold the late operator's long polls: no live update reaches the page.
    late.route("**/longpolling/poll", lambda route: None)
    open_workspace(late)
    open_group(late, "Customer Support", "Queue")
    late.click(".o_lc_ws_session:has-text('Pia %s')" % token)
    late.wait_for_selector(".o_lc_ws_action:has-text('Take')")
    session_id = rpc(
        "admin", "livechat.session", "search", [("name", "ilike", "Pia %s" % token)]
    )[0]
    rpc("operator", "livechat.session", "action_take", [session_id])
    late.click(".o_lc_ws_action:has-text('Take')")
    late.wait_for_selector(
        ".o_notification:has-text('already taken by Oscar Operator')"
    )
    assert late.locator(".modal:has-text('Odoo Server Error')").count() == 0
    assert late.locator(".modal").count() == 0


def test_operator_hands_their_session_on(new_page, rpc):
    """An operator without the expertise hands their own session to a
    colleague (or a group) from the About pane; on a queued session that is
    not theirs, the picker is not offered."""
    page, token = open_new_customer(
        new_page, rpc, "operator", "hand", "A question on VAT", "Vera"
    )
    page.wait_for_selector(".o_lc_ws_action:has-text('Take')")
    assert page.locator(".o_lc_ws_assign").count() == 0
    page.click(".o_lc_ws_action:has-text('Take')")
    page.wait_for_selector(".o_lc_ws_assign")
    page.fill(".o_lc_ws_assign", "Olga Operator")
    page.press(".o_lc_ws_assign", "Enter")
    page.wait_for_selector(".o_notification:has-text('Olga Operator now handles')")
    [session] = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("name", "ilike", "Vera %s" % token)],
        ["operator_id"],
    )
    assert session["operator_id"][1] == "Olga Operator"


def test_search_bar_finds_session_names_in_every_group(new_page, rpc):
    """With no session open, the search bar finds session names in every
    group of every chat the operator works in, each hit with its chat and
    group; a hit opens like any session."""
    token = uuid.uuid4().hex[:8]
    for n in (1, 2):
        customer_writes(
            rpc, "find-%s-%d" % (token, n), "Hello", name="Finn %d %s" % (n, token)
        )
    [taken] = rpc(
        "admin", "livechat.session", "search", [("name", "ilike", "Finn 2 %s" % token)]
    )
    rpc("operator", "livechat.session", "action_take", [taken])
    page = open_workspace(new_page("operator"))
    open_group(page, "Sales", "Queue")
    page.fill(".o_lc_ws_search", token)
    hits = page.locator(".o_lc_ws_session:has(.o_lc_ws_hit_where)")
    hits.nth(1).wait_for()
    assert hits.count() == 2
    where = {}
    for hit in (hits.nth(0), hits.nth(1)):
        name = hit.locator(".o_lc_ws_session_name").inner_text().split(" - ")[0]
        where[name] = hit.locator(".o_lc_ws_hit_where").inner_text().strip()
    assert where["Finn 1 %s" % token] == "Customer Support · Queue"
    assert where["Finn 2 %s" % token] == "Customer Support · My sessions"
    page.locator(".o_lc_ws_session", has_text="Finn 2 %s" % token).click()
    page.wait_for_selector(".o_lc_message:has-text('Hello')")
    page.wait_for_selector(".o_lc_composer_input")


def test_one_menu_beside_the_workspace(new_page):
    """The workspace's own menu is the only one on its screen: Odoo's menu
    of the app (the same places) is hidden beside it and back elsewhere."""
    page = open_workspace(new_page("supervisor"))
    assert page.locator(".o_sub_menu").is_hidden()
    menu = page.locator(".o_lc_ws_sidebar")
    for label in ("Sessions", "Accounts", "Blocklist", "Templates", "Live Chats"):
        assert menu.locator(".o_lc_ws_link:text-is('%s')" % label).count() == 1
    # The workspace's menu takes the width Odoo's menu had.
    assert page.locator(".o_lc_workspace").bounding_box()["x"] < 50
    menu.locator(".o_lc_ws_link:text-is('Accounts')").click()
    page.wait_for_selector(".o_list_view")
    assert page.locator(".o_sub_menu").is_visible()


def test_messenger_icon_and_files_to_preview_or_download(new_page, rpc):
    """A Telegram customer sends a picture and a PDF: each message shows
    Telegram's icon; the picture is previewed, the PDF only downloads, and
    both downloads are the files the customer sent."""
    token = uuid.uuid4().hex[:8]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    rpc(
        "admin",
        "livechat.test.gateway",
        "receive",
        chat_id,
        "telegram",
        {"external_id": "files-%s" % token, "name": "Fiona %s" % token},
        "The label and the invoice (%s)" % token,
        attachments=[
            {"name": "label.png", "datas": PNG, "mimetype": "image/png"},
            {
                "name": "invoice.pdf",
                "datas": base64.b64encode(pdf).decode(),
                "mimetype": "application/pdf",
            },
        ],
    )
    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('Fiona %s')" % token)
    message = page.locator(".o_lc_message", has_text="The label and the invoice")
    message.wait_for()
    icon = message.locator(".o_lc_channel_icon")
    assert icon.get_attribute("title") == "Telegram"
    assert "fa-paper-plane" in icon.get_attribute("class")
    # The picture: a preview that loaded, and a download.
    picture = message.locator(".o_lc_attachment", has_text="label.png")
    preview = picture.locator(".o_lc_preview img")
    preview.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=preview.element_handle()
    )
    # The PDF: no preview, only a download.
    document = message.locator(".o_lc_attachment", has_text="invoice.pdf")
    assert document.locator(".o_lc_preview").count() == 0
    for attachment, content in ((picture, base64.b64decode(PNG)), (document, pdf)):
        href = attachment.locator(".o_lc_download").get_attribute("href")
        response = page.request.get(href)
        assert response.ok
        assert response.body() == content
        assert "attachment" in response.headers["content-disposition"]


def test_new_sessions_reach_the_inbox_and_the_browser_unless_muted(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    page = new_page("operator")
    page.click("a[data-menu-xmlid='contacts.menu_contacts']")
    page.wait_for_selector(".o_kanban_view")
    page.wait_for_selector(".o_lc_systray_toggle.o_lc_online")
    customer_writes(
        rpc, "inbox-%s" % token, "Hello (%s)" % token, name="Ines %s" % token
    )
    # In another app: a browser notification (in the page: the test's
    # browser has not granted native notifications).
    page.wait_for_selector(
        ".o_notification:has-text('New live chat session'):has-text('Ines %s')" % token
    )
    # Discuss's Inbox has it, with a link into the workspace.
    page.click("a[data-menu-xmlid='mail.mail_channel_menu_root_chat']")
    note = page.locator(".o_thread_message", has_text="Ines %s" % token)
    note.wait_for()
    assert "New session" in note.inner_text()
    screenshot(page, "inbox-new-session")
    # (Odoo's own link above it opens the session's form.)
    note.locator("a[href*='action=livechat_workspace']").click()
    page.wait_for_selector(".o_lc_message:has-text('Hello (%s)')" % token)
    # The bell mutes the chat: the next customer is told to nobody here.
    chat = page.locator(".o_lc_ws_chat", has_text="Customer Support")
    chat.locator(".o_lc_ws_mute").click()
    chat.locator(".o_lc_ws_mute.o_lc_muted").wait_for()
    try:
        customer_writes(
            rpc, "inbox2-%s" % token, "Again (%s)" % token, name="Ivo %s" % token
        )
        told = rpc(
            "operator",
            "mail.message",
            "search_count",
            [("needaction", "=", True), ("body", "ilike", "Ivo %s" % token)],
        )
        assert told == 0
        # A colleague who did not mute it is told.
        assert (
            rpc(
                "operator2",
                "mail.message",
                "search_count",
                [("needaction", "=", True), ("body", "ilike", "Ivo %s" % token)],
            )
            == 1
        )
    finally:
        chat.locator(".o_lc_ws_mute").click()
        chat.locator(".o_lc_ws_mute:not(.o_lc_muted)").wait_for()


def test_internal_notes_are_distinct_and_stay_inside(new_page, rpc):
    page, token = open_new_customer(
        new_page, rpc, "operator", "note", "My refund is late", "Nadia"
    )
    page.click(".o_lc_ws_action:has-text('Take')")
    page.wait_for_selector(".o_lc_ws_about:has-text('Oscar Operator')")
    # The note toggle: the composer turns yellow and says who reads it.
    page.click(".o_lc_note_toggle")
    page.wait_for_selector(".o_lc_composer.o_lc_composer_note .o_lc_note_hint:visible")
    placeholder = page.get_attribute(".o_lc_composer_input", "placeholder")
    assert placeholder.startswith("Write an internal note")
    page.fill(".o_lc_composer_input", "Refund approved by finance (%s)" % token)
    page.press(".o_lc_composer_input", "Enter")
    note = page.locator(".o_lc_message.o_lc_note", has_text="Refund approved")
    note.wait_for()
    assert "Internal note" in note.locator(".o_lc_note_label").inner_text()
    # A note cannot be quoted into a reply (the quote would leave with it).
    assert note.locator(".o_lc_quote_button").count() == 0
    screenshot(page, "workspace-internal-note")
    # Back to replies: the next message goes to the customer.
    page.click(".o_lc_note_toggle")
    page.fill(".o_lc_composer_input", "Your refund is on its way (%s)" % token)
    page.press(".o_lc_composer_input", "Enter")
    page.locator(".o_lc_message.o_lc_out", has_text="on its way").wait_for()
    stored = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", token), ("direction", "!=", "in")],
        ["direction", "delivery_state"],
        order="id",
    )
    assert [m["direction"] for m in stored] == ["note", "out"]
    assert stored[0]["delivery_state"] is False


def test_a_reply_sent_later_can_be_changed_and_leaves_at_its_time(new_page, rpc):
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
    page, token = open_new_customer(
        new_page, rpc, "operator", "later", "Are you open on Sunday?", "Lena"
    )
    page.click(".o_lc_ws_action:has-text('Take')")
    page.wait_for_selector(".o_lc_ws_about:has-text('Oscar Operator')")
    # Written now, sent tomorrow morning: the clock beside Send.
    page.fill(".o_lc_composer_input", "We open at ten on Sunday (%s)" % token)
    page.click(".o_lc_send_later")
    dialog = page.locator(".modal:has(.o_lc_send_later_dialog)")
    assert "We open at ten" in dialog.locator(".o_lc_send_later_body").input_value()
    tomorrow = (datetime.datetime.now() + datetime.timedelta(days=1)).replace(
        hour=9, minute=30
    )
    dialog.locator(".o_lc_send_later_when").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    dialog.locator(".o_lc_send_later_confirm").click()
    row = page.locator(".o_lc_scheduled_reply", has_text="We open at ten")
    row.wait_for()
    assert "09:30" in row.inner_text()
    assert page.input_value(".o_lc_composer_input") == ""
    assert page.locator(".o_lc_message.o_lc_out").count() == 0
    # Changed before it leaves.
    row.locator(".o_lc_scheduled_edit").click()
    dialog.locator(".o_lc_send_later_body").fill(
        "We open at eleven on Sunday (%s)" % token
    )
    dialog.locator(".o_lc_send_later_confirm").click()
    page.locator(".o_lc_scheduled_reply", has_text="open at eleven").wait_for()
    screenshot(page, "workspace-send-later")
    # A second one, cancelled: it never leaves.
    page.fill(".o_lc_composer_input", "Never mind (%s)" % token)
    page.click(".o_lc_send_later")
    dialog.locator(".o_lc_send_later_confirm").click()
    cancelled = page.locator(".o_lc_scheduled_reply", has_text="Never mind")
    cancelled.locator(".o_lc_scheduled_cancel").click()
    page.click(".modal-footer .btn-primary")
    cancelled.wait_for(state="detached")
    # Its time comes (moved to now, as the clock would): queue_job's runner
    # sends it; the conversation shows it live and the strip empties.
    psql(
        db,
        "UPDATE livechat_scheduled_reply SET send_at = now() AT TIME ZONE 'UTC' "
        "- interval '1 s' WHERE body LIKE '%%open at eleven%%(%s)';"
        "UPDATE queue_job SET eta = now() AT TIME ZONE 'UTC' - interval '1 s' "
        "WHERE model_name = 'livechat.scheduled.reply' AND state = 'pending'" % token,
    )
    page.locator(".o_lc_message.o_lc_out", has_text="open at eleven").wait_for(
        timeout=60000
    )
    page.locator(".o_lc_scheduled_reply").first.wait_for(state="detached")
    stored = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", token), ("direction", "=", "out")],
        ["body", "author_user_id"],
    )
    assert len(stored) == 1 and "eleven" in stored[0]["body"]
    assert stored[0]["author_user_id"][1] == "Oscar Operator"


def test_two_sessions_of_one_customer_are_merged(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    # One customer, two accounts (two phones), two sessions.
    customer_writes(
        rpc, "merge-a-%s" % token, "Order 7 is late (%s)" % token, "Mia %s" % token
    )
    customer_writes(
        rpc, "merge-b-%s" % token, "Any news? (%s)" % token, "Mia2 %s" % token
    )
    contact = rpc("admin", "res.partner", "create", {"name": "Mia Merge %s" % token})
    accounts = rpc(
        "admin",
        "livechat.account",
        "search",
        [("external_id", "like", "merge-_-%s" % token)],
    )
    assert len(accounts) == 2
    rpc("admin", "livechat.account", "write", accounts, {"partner_id": contact})
    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('Mia %s')" % token)
    page.click(".o_lc_ws_action:has-text('Take')")
    page.wait_for_selector(".o_lc_ws_about:has-text('Oscar Operator')")
    # The About pane offers the customer's other session.
    merge = page.locator(".o_lc_ws_merge")
    merge.wait_for()
    assert "Mia2 %s" % token in merge.locator(".o_lc_ws_merge_source").inner_text()
    merge.locator(".o_lc_ws_merge_button").click()
    page.wait_for_selector(".modal:has-text('into this one?')")
    page.click(".modal-footer .btn-primary")
    # Its message shows in this conversation, with the note saying who merged.
    page.locator(".o_lc_message.o_lc_in", has_text="Any news? (%s)" % token).wait_for()
    page.locator(".o_lc_message.o_lc_note", has_text="merged session").wait_for()
    screenshot(page, "workspace-merged")
    page.locator(".o_lc_ws_merge").wait_for(state="detached")
    sessions = rpc(
        "admin",
        "livechat.session",
        "search_read",
        [("account_id", "in", accounts)],
        ["name", "state", "merged_into_id"],
        order="id",
    )
    first, second = sessions
    assert first["state"] == "active" and not first["merged_into_id"]
    assert second["state"] == "closed" and second["merged_into_id"][0] == first["id"]


def test_staff_see_each_other_and_are_asked_before_answering_twice(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc,
        "collide-%s" % token,
        "Is my order shipped? (%s)" % token,
        "Cleo %s" % token,
    )
    # A supervisor and an operator open the same queued session.
    lead = open_workspace(new_page("supervisor"))
    open_group(lead, "Customer Support", "Queue")
    lead.click(".o_lc_ws_session:has-text('Cleo %s')" % token)
    lead.wait_for_selector(".o_lc_composer_input")
    page = open_workspace(new_page("operator"))
    open_group(page, "Customer Support", "Queue")
    page.click(".o_lc_ws_session:has-text('Cleo %s')" % token)
    page.wait_for_selector(".o_lc_composer_input")
    # Each sees the other there.
    lead.wait_for_selector(".o_lc_presence:has-text('Oscar Operator is viewing')")
    page.wait_for_selector(".o_lc_presence:has-text('Sofia Supervisor is viewing')")
    # The operator writes: the supervisor sees it.
    page.type(".o_lc_composer_input", "Let me check")
    lead.wait_for_selector(".o_lc_presence:has-text('Oscar Operator is typing')")
    # The supervisor starts an answer too: warned, then asked before it leaves.
    lead.type(".o_lc_composer_input", "It left yesterday (%s)" % token)
    lead.wait_for_selector(".o_lc_presence.o_lc_presence_warn")
    screenshot(lead, "workspace-collision")
    lead.press(".o_lc_composer_input", "Enter")
    lead.wait_for_selector(
        ".modal:has-text('Oscar Operator is answering this session too')"
    )
    lead.click(".modal-footer .btn-default")
    lead.wait_for_selector(".modal", state="detached")
    assert lead.input_value(".o_lc_composer_input") == "It left yesterday (%s)" % token
    assert not rpc(
        "admin",
        "livechat.message",
        "search",
        [("body", "ilike", "It left yesterday (%s)" % token)],
    )
    # Asked again, and sent this time.
    lead.press(".o_lc_composer_input", "Enter")
    lead.click(".modal-footer .btn-primary")
    lead.locator(".o_lc_message.o_lc_out", has_text="It left yesterday").wait_for()
    # The reply took the session: the operator, who no longer sees it, is
    # told so and the conversation closes (no access error).
    page.wait_for_selector(".o_notification:has-text('now handled by a colleague')")
    page.wait_for_selector(".o_lc_ws_placeholder")
    assert page.locator(".modal:has-text('Access Error')").count() == 0
