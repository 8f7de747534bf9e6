# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A supervisor moves a website visitor's session from Customer Support to
Sales in the workspace; Sales answers and the visitor, still on the same
website chat, reads the answer and writes on in the same session."""
import uuid

from conftest import screenshot
from test_channels import (  # noqa: F401 (shop_site: a fixture)
    open_visitor_window,
    shop_site,
)
from test_workspace import open_group, open_workspace


def test_supervisor_moves_a_session_to_sales_and_the_visitor_writes_on(
    browser, shop_site, new_page, rpc  # noqa: F811 (the fixture)
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        visitor, root = open_visitor_window(context, shop_site)
        tag = uuid.uuid4().hex[:6]
        root.locator(".lcv-name").fill("Mona %s" % tag)
        root.locator(".lcv-input").fill("A quote for 40 seats? %s" % tag)
        root.locator(".lcv-input").press("Enter")
        root.locator(".lcv-msg.in[data-id]:not([data-id='']):not(.error)").wait_for()

        supervisor = open_workspace(new_page("supervisor"))
        open_group(supervisor, "Customer Support", "Queue")
        supervisor.click(".o_lc_ws_session:has-text('Mona %s')" % tag)
        supervisor.wait_for_selector(".o_lc_message:has-text('40 seats? %s')" % tag)
        move = supervisor.locator(".o_lc_ws_about .o_lc_ws_move")
        move.locator(".o_lc_ws_move_target").select_option(label="Sales")
        move.locator(".o_lc_ws_move_note").fill("A sales question (%s)" % tag)
        screenshot(supervisor, "workspace-move")
        move.locator(".o_lc_ws_move_button").click()
        supervisor.wait_for_selector(".o_notification:has-text('Session moved')")
        # It waits in Sales' queue now, with its history and the note.
        open_group(supervisor, "Sales", "Queue")
        supervisor.click(".o_lc_ws_session:has-text('Mona %s')" % tag)
        supervisor.wait_for_selector(".o_lc_message:has-text('40 seats? %s')" % tag)
        supervisor.wait_for_selector(
            ".o_lc_message:has(.o_lc_note_label):has-text("
            "'Moved from Customer Support to Sales by Sofia Supervisor: "
            "A sales question (%s)')" % tag
        )
        assert supervisor.locator(".o_lc_ws_about").inner_text().count("Sales") >= 1

        # Sales answers; the visitor reads it in the same window.
        [session_id] = rpc(
            "operator",
            "livechat.session",
            "search",
            [("account_id.name", "=", "Mona %s" % tag)],
        )
        rpc(
            "operator",
            "livechat.session",
            "reply",
            [session_id],
            "Sales here: 15 %% off (%s)" % tag,
        )
        root.locator(".lcv-msg.out", has_text="Sales here: 15 % off").wait_for()
        # The notes never reach the visitor.
        assert "A sales question" not in root.locator(".lcv-list").inner_text()
        root.locator(".lcv-input").fill("Deal, twelve more %s" % tag)
        root.locator(".lcv-input").press("Enter")
        root.locator(
            ".lcv-msg.in[data-id]:not([data-id='']):not(.error)",
            has_text="twelve more",
        ).wait_for()
        # ...and it reached the moved session: one session, in Sales.
        supervisor.wait_for_selector(".o_lc_message:has-text('twelve more %s')" % tag)
        sessions = rpc(
            "supervisor",
            "livechat.session",
            "search_read",
            [("account_id.name", "=", "Mona %s" % tag)],
            ["chat_id", "entry_chat_id"],
        )
        assert [(s["chat_id"][1], s["entry_chat_id"][1]) for s in sessions] == [
            ("Sales", "Customer Support")
        ]
    finally:
        context.close()
