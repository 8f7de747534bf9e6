"""The workspace in German: the addons' translations reach the web client
(menus, the workspace's QWeb templates and JavaScript texts, the server's
messages) for a user whose language is German."""

import uuid

from conftest import customer_writes, screenshot

MENU = "a[data-menu-xmlid='livechat_sessions.livechat_menu_root']"
ADDONS = ["web", "livechat_sessions", "livechat_channels", "livechat_widget"]


def german_operator(rpc):
    """An operator of the demo's chats who reads Odoo in German."""
    # Not an @api.model method: its first argument is (no) ids.
    rpc("admin", "ir.translation", "load_module_terms", [], ADDONS, ["de_DE"])
    found = rpc("admin", "res.users", "search", [("login", "=", "operator_de")])
    if found:
        return found[0]
    operator = rpc(
        "admin",
        "res.users",
        "search_read",
        [("login", "=", "operator")],
        fields=["groups_id"],
    )[0]
    return rpc(
        "admin",
        "res.users",
        "create",
        {
            "name": "Olga Operatorin",
            "login": "operator_de",
            "password": "operator_de",
            "lang": "de_DE",
            "groups_id": [(6, 0, operator["groups_id"])],
        },
    )


def test_workspace_in_german(new_page, rpc):
    german_operator(rpc)
    rpc("operator_de", "livechat.workspace", "set_status", "online")
    token = uuid.uuid4().hex[:8]
    customer_writes(
        rpc,
        "de-%s" % token,
        "Wo ist meine Bestellung? (%s)" % token,
        name="Greta %s" % token,
    )

    page = new_page("operator_de")
    page.wait_for_selector(MENU + ":has-text('Live-Chats')")
    page.click(MENU)
    page.wait_for_selector(".o_lc_workspace .o_lc_ws_group")
    # The menu's groups (JavaScript texts) and the search bar's placeholder.
    page.wait_for_selector(".o_lc_ws_group:has-text('Warteschlange')")
    page.wait_for_selector(".o_lc_ws_group:has-text('Meine Sitzungen')")
    assert (
        page.get_attribute(".o_lc_ws_search", "placeholder")
        == "Sitzungsnamen durchsuchen…"
    )
    page.locator(".o_lc_ws_chat", has_text="Customer Support").locator(
        ".o_lc_ws_group", has_text="Warteschlange"
    ).click()
    page.click(".o_lc_ws_session:has-text('Greta %s')" % token)
    page.wait_for_selector(
        ".o_lc_message:has-text('Wo ist meine Bestellung? (%s)')" % token
    )
    # The About pane's actions and the composer (QWeb templates).
    page.wait_for_selector(".o_lc_ws_action:has-text('Übernehmen')")
    assert (
        page.get_attribute(".o_lc_ws_search", "placeholder")
        == "Diese Sitzung durchsuchen…"
    )
    page.click(".o_lc_ws_action:has-text('Übernehmen')")
    page.wait_for_selector(".o_lc_composer_input[placeholder^='Antwort schreiben…']")
    screenshot(page, "workspace-german")
    # No English text of ours is left on the workspace.
    text = page.inner_text(".o_lc_workspace")
    for english in ("My sessions", "Queue", "Take", "Close Session", "Search"):
        assert english not in text, english
