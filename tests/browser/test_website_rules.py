# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Website chat rules in a real browser, on pages of another website: the
chat opens by itself on the pages and for the country a rule names, hides
where a rule says so, and a visitor gets the conversation by email."""
import uuid

from conftest import WAIT_MS, screenshot
from test_channels import shop_site  # noqa: F401 (a fixture)
from test_setup import open_chat_form, tab


def visit(context, url):
    """A visitor's page at ``url``; returns the page and the chat's host
    once the chat applied the rules to the page."""
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    host = page.locator(".o_livechat_visitor[data-rule]")
    host.wait_for(state="attached")
    return page, host


def test_rules_open_hide_and_show_the_chat_by_page_and_country(
    browser, shop_site, new_page, rpc  # noqa: F811 (the fixture)
):
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    # The administrator hides the chat on checkout pages, on the chat's
    # form; the rule for Swiss visitors comes over RPC (the country tags
    # of an editable row are Odoo's own widget).
    admin = open_chat_form(new_page("admin"), rpc)
    admin.click(".o_form_button_edit")
    pane = tab(admin, "LiveChat")
    pane.locator(
        ".o_field_one2many[name=website_rule_ids] .o_field_x2many_list_row_add a"
    ).click()
    row = pane.locator(".o_field_one2many[name=website_rule_ids] .o_selected_row")
    row.locator("input[name=url_pattern]").fill("*/checkout*")
    row.locator("select[name=action]").select_option(label="Hide the button")
    admin.click(".o_form_button_save")
    admin.wait_for_selector(".o_form_button_edit")
    switzerland = rpc("admin", "res.country", "search", [("code", "=", "CH")])
    [hide] = rpc(
        "admin",
        "livechat.website.rule",
        "search_read",
        [("chat_id", "=", chat_id)],
        ["url_pattern", "action", "sequence"],
    )
    assert (hide["url_pattern"], hide["action"]) == ("*/checkout*", "hide")
    rpc(
        "admin",
        "livechat.chat",
        "write",
        [chat_id],
        {
            "website_rule_ids": [
                (
                    0,
                    0,
                    {
                        "sequence": hide["sequence"] + 1,
                        "url_pattern": "/pricing*",
                        "action": "open",
                        "open_delay": 1,
                        "country_ids": [(6, 0, switzerland)],
                    },
                ),
            ]
        },
    )
    admin.reload()
    tab(admin, "LiveChat").locator(
        ".o_field_one2many[name=website_rule_ids] tr:has-text('/pricing*')"
    ).wait_for()
    screenshot(admin, "chat-website-rules")
    swiss = browser.new_context(locale="de-CH", viewport={"width": 1280, "height": 800})
    german = browser.new_context(
        locale="de-DE", viewport={"width": 1280, "height": 800}
    )
    try:
        # A visitor from Switzerland (their browser's language says so) on
        # the pricing page: the window opens by itself, the page keeps its
        # focus.
        page, host = visit(swiss, shop_site + "pricing?plan=pro")
        assert host.get_attribute("data-rule") == "open"
        host.locator(".lcv-panel").wait_for(state="visible")
        assert host.locator(".lcv-button").is_hidden()
        assert not page.evaluate(
            "document.activeElement && document.activeElement.className"
            " === 'o_livechat_visitor'"
        )
        screenshot(page, "website-chat-opens-by-rule")
        # Checkout: no button (the first rule wins).
        page, host = visit(swiss, shop_site + "en/shop/checkout?step=2")
        assert host.get_attribute("data-rule") == "hide"
        assert host.locator(".lcv-button").is_hidden()
        assert host.locator(".lcv-panel").is_hidden()
        # A single-page site moves to its pricing page without loading a
        # page: the rules apply to the new address.
        page.evaluate("history.pushState({}, '', '/pricing')")
        page.locator(".o_livechat_visitor[data-rule='open'] .lcv-panel").wait_for(
            state="visible"
        )
        # Another page: the button, as without rules.
        page, host = visit(swiss, shop_site + "about")
        assert host.get_attribute("data-rule") == "show"
        host.locator(".lcv-button").wait_for(state="visible")
        # A visitor from Germany on the pricing page: the rule is for
        # Switzerland only, so the button shows and nothing opens.
        page, host = visit(german, shop_site + "pricing")
        assert host.get_attribute("data-rule") == "show"
        host.locator(".lcv-button").wait_for(state="visible")
        assert host.locator(".lcv-panel").is_hidden()
        # The site may say the country itself, over the browser's language.
        page.evaluate(
            """() => {
                const old = document.querySelector('.o_livechat_visitor');
                old.remove();
                window.__livechatVisitor = {};
                const tag = document.createElement('script');
                const snippet = 'script[src*="/livechat/widget/"]';
                tag.src = document.querySelector(snippet).src;
                tag.dataset.country = 'ch';
                document.body.appendChild(tag);
            }"""
        )
        page.locator(".o_livechat_visitor[data-rule='open'] .lcv-panel").wait_for(
            state="visible"
        )
    finally:
        rules = rpc(
            "admin", "livechat.website.rule", "search", [("chat_id", "=", chat_id)]
        )
        rpc("admin", "livechat.website.rule", "unlink", rules)
        swiss.close()
        german.close()


def test_visitor_gets_the_answered_conversation_by_email(
    browser, shop_site, rpc  # noqa: F811 (the fixture)
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page, host = visit(context, shop_site)
        host.locator(".lcv-button").click()
        tag = uuid.uuid4().hex[:6]
        host.locator(".lcv-name").fill("Tess %s" % tag)
        host.locator(".lcv-input").fill("Which size fits me? %s" % tag)
        host.locator(".lcv-input").press("Enter")
        host.locator(".lcv-msg.in[data-id]:not([data-id='']):not(.error)").wait_for()
        # Nothing to send yet: no answer.
        assert host.locator(".lcv-mail").is_hidden()
        [session] = rpc(
            "operator",
            "livechat.session",
            "search",
            [("account_id.name", "=", "Tess %s" % tag)],
        )
        rpc("operator", "livechat.session", "reply", [session], "Size M (%s)" % tag)
        host.locator(".lcv-msg.out", has_text="Size M (%s)" % tag).wait_for()
        host.locator(".lcv-mail").click()
        email = "tess.%s@example.com" % tag
        host.locator(".lcv-transcript-email").fill(email)
        screenshot(page, "website-chat-transcript")
        host.locator(".lcv-transcript button[type=submit]").click()
        host.locator(".lcv-said", has_text="sent to %s" % email).wait_for()
        assert host.locator(".lcv-status").is_hidden()
        [mail] = rpc(
            "admin",
            "mail.mail",
            "search_read",
            [("email_to", "=", email)],
            ["subject", "body_html"],
        )
        assert mail["subject"] == "Your conversation with Customer Support"
        assert "Which size fits me? %s" % tag in mail["body_html"]
        assert "Size M (%s)" % tag in mail["body_html"]
    finally:
        context.close()
