"""The Live Chats menu, as each role sees it."""

import uuid

from conftest import customer_writes, screenshot

MENU = "a[data-menu-xmlid='livechat_sessions.livechat_menu_root']"


def open_live_chats(page):
    """Live Chats > Sessions (operators and supervisors land in the
    workspace, readers in the Sessions list)."""
    page.click(MENU)
    page.wait_for_selector(".o_lc_workspace, .o_list_view")
    if not page.locator(".o_list_view").count():
        # Only from the workspace, through its own menu (the only one on its
        # screen): clicking Sessions while the reader's list is shown would
        # replace the list under the test's next click.
        page.click(".o_lc_ws_sidebar .o_lc_ws_link:text-is('Sessions')")
        page.wait_for_selector(".o_list_view")
    return page


def test_operator_opens_live_chats(new_page):
    page = open_live_chats(new_page("operator"))
    assert "Sessions" in page.inner_text(".breadcrumb")
    rows = page.inner_text(".o_list_view tbody")
    # The queue of both demo chats, and the operator's own session.
    assert "Brian O'Neil" in rows
    assert "Website visitor" in rows
    assert "Anna Petrova" in rows
    # Spam stays out of the default list.
    assert "Cheap Watches" not in rows
    screenshot(page, "operator-sessions")


def test_supervisor_sees_every_session_and_finds_spam(new_page):
    page = open_live_chats(new_page("supervisor"))
    rows = page.inner_text(".o_list_view tbody")
    assert "Sales: Brian O'Neil" in rows  # closed session of operator2
    # Remove the default "Not Spam" filter, then filter on Spam.
    page.click(".o_searchview_facet .o_facet_remove")
    if page.locator(".o_searchview_more.fa-search-plus").count():
        page.click(".o_searchview_more")  # Odoo 11 folds the filter buttons
    page.click(".o_search_options .o_dropdown_toggler_btn:has-text('Filters')")
    page.click(".o_filters_menu a:text-is('Spam')")
    page.wait_for_selector(".o_list_view tbody tr:has-text('Cheap Watches')")


def test_reader_reads_but_cannot_act(new_page):
    page = open_live_chats(new_page("reader"))
    rows = page.inner_text(".o_list_view tbody")
    assert "Customer Support" in rows
    assert "Sales" not in rows.replace("Customer Support", "")
    page.click(".o_list_view tbody tr:has-text('Anna Petrova') >> nth=0")
    page.wait_for_selector(".o_form_view")
    # Odoo drops the Edit button from views of models the user cannot write.
    assert page.locator(".o_form_button_edit").count() == 0
    # No action the server would refuse is offered, and the priority stars
    # do not react (they used to light up and save nothing).
    page.wait_for_selector(".o_livechat_session_form .o_priority")
    for label in ("Take", "Close Session", "Mark as Spam", "Not Spam"):
        assert (
            page.locator(".o_form_statusbar button:visible", has_text=label).count()
            == 0
        )
    assert page.eval_on_selector_all(
        ".o_livechat_session_form .o_priority > a",
        "stars => stars.length > 0 && stars.every("
        "s => getComputedStyle(s).pointerEvents === 'none')",
    )
    screenshot(page, "reader-session")


def test_operator_is_offered_take_not_close_on_a_queued_session(new_page, rpc):
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc, "menu-%s" % token, "Hello (%s)" % token, name="Hugo %s" % token
    )
    page = open_live_chats(new_page("operator"))
    page.click(".o_list_view tbody tr:has-text('Hugo %s')" % token)
    page.wait_for_selector(".o_livechat_session_form")
    statusbar = page.locator(".o_form_statusbar")
    statusbar.locator("button:visible", has_text="Take").wait_for()
    assert statusbar.locator("button:visible", has_text="Close Session").count() == 0
    # The stars are live for whoever may set the priority.
    assert page.eval_on_selector(
        ".o_livechat_session_form .o_priority > a",
        "s => getComputedStyle(s).pointerEvents !== 'none'",
    )


def test_other_employees_have_no_live_chats_menu(new_page):
    page = new_page("demo")
    page.wait_for_selector(".oe_application_menu_placeholder a", state="attached")
    assert page.locator(MENU).count() == 0
