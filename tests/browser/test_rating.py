# Copyright 2026 Live Chats for Odoo
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer satisfaction in the browser: a website visitor rates the
conversation an operator closed, with a face and a comment, and the
operator sees it in the About pane without reloading."""
import uuid

from conftest import screenshot
from test_channels import (  # noqa: F401 (shop_site: a fixture)
    open_visitor_window,
    shop_site,
    take_and_answer,
)


def test_visitor_rates_the_closed_conversation_and_the_operator_sees_it(
    browser, shop_site, new_page, rpc  # noqa: F811 (the fixture)
):
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    rpc(
        "admin",
        "livechat.chat",
        "write",
        [chat_id],
        {"rating_enabled": True, "rating_question": "How would you rate our help?"},
    )
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        visitor, root = open_visitor_window(context, shop_site)
        tag = uuid.uuid4().hex[:6]
        root.locator(".lcv-name").fill("Rita %s" % tag)
        root.locator(".lcv-input").fill("Where is my parcel? %s" % tag)
        root.locator(".lcv-input").press("Enter")
        visitor.wait_for_selector(
            ".o_livechat_visitor .lcv-msg.in[data-id]:not([data-id='']):not(.error)"
        )
        operator = take_and_answer(
            new_page("operator"),
            "Rita %s" % tag,
            tag,
            "It arrives tomorrow (%s)" % tag,
        )
        root.locator(
            ".lcv-msg.out", has_text="It arrives tomorrow (%s)" % tag
        ).wait_for()
        operator.click(".o_lc_ws_action:has-text('Close Session')")
        operator.click(".modal-footer .btn-primary")
        operator.wait_for_selector(".o_lc_conversation .o_lc_state_closed")

        # The question reaches the visitor live, with three faces.
        question = root.locator(".lcv-msg.out", has_text="How would you rate our help?")
        question.wait_for()
        assert question.locator(".lcv-face").count() == 3
        question.locator(".lcv-face[data-rating='good']").click()
        question.locator(
            ".lcv-face[data-rating='good'][aria-pressed='true']"
        ).wait_for()
        question.locator(".lcv-rating-comment").fill("Quick and kind (%s)" % tag)
        question.locator(".lcv-rating-send").click()
        question.locator(
            ".lcv-rating-said", has_text="Thank you for your comment!"
        ).wait_for()
        assert root.locator(".lcv-status").is_hidden()
        screenshot(visitor, "website-chat-rating")

        # The operator's About pane shows it, without a reload.
        operator.wait_for_selector(".o_lc_ws_rating[data-rating='good']")
        operator.wait_for_selector(
            ".o_lc_ws_rating_comment:has-text('Quick and kind (%s)')" % tag
        )
        screenshot(operator, "workspace-rating")
        # A reload of the visitor's page (the window opens again by itself)
        # keeps the rating shown, also once the first long poll brought the
        # question again as it was asked (the bus replays the last 50 s to
        # a new page; it answers at once then, or empty after 50 s).
        with visitor.expect_response(
            lambda response: "/longpolling/livechat/visitor" in response.url,
            timeout=60000,
        ) as first_poll:
            visitor.reload()
        replayed = [n["message"] for n in first_poll.value.json()["notifications"]]
        if any(m.get("type") == "livechat.visitor_closed" for m in replayed):
            # The window applied the replay (the "ended" notice comes from
            # the poll alone, in the same loop as the question).
            root.locator(".lcv-notice").wait_for()
        root.locator(
            ".lcv-msg.out .lcv-face[data-rating='good'][aria-pressed='true']"
        ).wait_for()
        assert root.locator(".lcv-rating-comment").input_value() == (
            "Quick and kind (%s)" % tag
        )
    finally:
        rpc("admin", "livechat.chat", "write", [chat_id], {"rating_enabled": False})
        context.close()
