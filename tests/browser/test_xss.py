"""The attack corpus (livechat_sessions/tests/xss_payloads.py) sent through
the channels and rendered where people read conversations: the operator's
workspace (and its search hits), the form widget, the employees' chat and
the website visitor's window. Every rendered element is clicked; no payload
may run (each calls ``__xss(<id>)``), no dialog may open, no element may
leave its message bubble or cover the page."""

import base64
import importlib.util
import json
import re
import uuid

import pytest
from conftest import ROOT, WAIT_MS, open_client
from test_channels import shop_site  # noqa: F401  (a fixture)
from test_workspace import open_group, open_workspace

_spec = importlib.util.spec_from_file_location(
    "xss_payloads", ROOT / "livechat_sessions" / "tests" / "xss_payloads.py"
)
xss_payloads = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(xss_payloads)

#: Messages per customer: one page of the conversation shows them all.
PER_SESSION = 28

#: Records what ran: payloads call __xss(id); alert & co. are payloads too.
TRAP = """() => {
    window.__xssRan = window.__xssRan || [];
    window.__xss = (id) => window.__xssRan.push(id);
    for (const name of ['alert', 'confirm', 'prompt']) {
        window[name] = (arg) => window.__xssRan.push(name + ':' + arg);
    }
}"""

#: Every element of every message body: clicked (as a script would: the
#: element's own activation, links included) and measured. Returns what
#: escaped its bubble or is positioned out of the flow.
CLICK_AND_MEASURE = """([selector, host]) => {
    const problems = [];
    // The website chat lives in a shadow root of its host element.
    const scope = host ? document.querySelector(host).shadowRoot : document;
    for (const body of scope.querySelectorAll(selector)) {
        const bubble = body.getBoundingClientRect();
        for (const el of [body, ...body.querySelectorAll('*')]) {
            const style = getComputedStyle(el);
            if (!['static', 'relative'].includes(style.position)) {
                problems.push(el.outerHTML.slice(0, 120) + ' is ' + style.position);
            }
            const box = el.getBoundingClientRect();
            if (box.width && (box.left < bubble.left - 1 || box.right > bubble.right + 1
                    || box.top < bubble.top - 1 || box.bottom > bubble.bottom + 1)) {
                problems.push(el.outerHTML.slice(0, 120) + ' leaves its bubble');
            }
            if (el.tagName === 'A' && el.hasAttribute('href')
                    && !/^(https?:|mailto:)/.test(el.getAttribute('href'))
                    && !el.closest('.lcv-file')) {
                problems.push(el.outerHTML.slice(0, 120) + ' links elsewhere');
            }
            el.click();
        }
    }
    return problems;
}"""


#: Any address but this machine's: links of the corpus lead there. The
#: network is closed, so such requests are answered with an empty page.
OUTSIDE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")


#: The middle of each message body on screen.
POINTS = """([selector, host]) => {
    const scope = host ? document.querySelector(host).shadowRoot : document;
    return Array.from(scope.querySelectorAll(selector))
        .map((el) => el.getBoundingClientRect())
        .filter((box) => box.width && box.height && box.top >= 0
                && box.bottom <= window.innerHeight)
        .map((box) => ({x: box.left + box.width / 2, y: box.top + box.height / 2}));
}"""


def trap(page):
    """Install the trap in ``page`` and record its dialogs and the tabs its
    links open."""
    page.evaluate(TRAP)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    popups = []
    page.context.on("page", lambda popup: popups.append(popup))
    page.context.route(
        OUTSIDE,
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<html></html>"
        ),
    )
    return dialogs, popups


def assert_nothing_ran(page, dialogs, popups, where):
    ran = page.evaluate("window.__xssRan")
    assert ran == [], "payloads ran in %s: %s" % (where, ran)
    assert dialogs == [], "dialogs opened in %s: %s" % (where, dialogs)
    for popup in popups:
        # Links open in a new tab, and only web pages.
        popup.wait_for_load_state()
        assert popup.url.startswith(("http://", "https://")), popup.url
        assert popup.evaluate("typeof window.__xss") == "undefined"
        popup.close()
    popups.clear()


def click_every_element(page, selector, dialogs, popups, where, host=None):
    problems = page.evaluate(CLICK_AND_MEASURE, [selector, host])
    assert problems == [], "%s: %s" % (where, problems)
    # And a person's clicks: on each message on screen, then anywhere on
    # the page (an invisible overlay would catch them). By position: the
    # list may be redrawn meanwhile (recent notifications replayed by the
    # bus), and a click then lands on whatever is there, as a person's.
    for point in page.evaluate(POINTS, [selector, host]):
        page.mouse.click(point["x"], point["y"])
    page.mouse.click(640, 400)
    page.mouse.click(20, 780)
    assert_nothing_ran(page, dialogs, popups, where)


@pytest.fixture
def opened(rpc):
    """Session ids the test opens or writes in (and those opened after it
    began): closed at its end, so that no later test meets them in a queue
    or the employee's open conversation."""
    last = rpc("admin", "livechat.session", "search", [], limit=1, order="id desc")
    ids = []
    yield ids
    ids += rpc(
        "admin",
        "livechat.session",
        "search",
        [("id", ">", last[0] if last else 0), ("state", "!=", "closed")],
    )
    if ids:
        rpc("admin", "livechat.session", "action_close", list(set(ids)))


def reply_html(rpc, session, payload):
    """An operator's HTML reply; a payload with nothing safe to show as
    HTML is refused as such, and sent as text instead."""
    try:
        rpc(
            "supervisor",
            "livechat.session",
            "reply",
            [session],
            payload,
            body_type="html",
        )
    except RuntimeError as error:
        assert "once unsafe content is removed" in str(error), error
        rpc("supervisor", "livechat.session", "reply", [session], payload)


def send_corpus(rpc, tag):
    """Every payload of the corpus as HTML (what an HTML-speaking channel
    hands the way in), spread over customers of Customer Support whose
    names are payloads too. Returns the customers' names."""
    chat = rpc("admin", "livechat.chat", "search", [("name", "=", "Customer Support")])
    payloads = xss_payloads.payloads()
    assert len(payloads) >= 150
    names = []
    for start in range(0, len(payloads), PER_SESSION):
        name = "Xena %s-%d <img src=x onerror=__xss(%d)>" % (tag, start, 10000 + start)
        external_id = "xss-%s-%d" % (tag, start)
        for _number, payload in payloads[start : start + PER_SESSION]:
            account = {"external_id": external_id, "name": name}
            try:
                rpc(
                    "admin",
                    "livechat.test.gateway",
                    "receive",
                    chat[0],
                    "telegram",
                    account,
                    payload,
                    body_type="html",
                )
            except RuntimeError as error:
                # Nothing of it is safe to show as HTML (a lone <script>):
                # refused as such, and shown as the text a messenger sends.
                assert "once unsafe content is removed" in str(error), error
                rpc(
                    "admin",
                    "livechat.test.gateway",
                    "receive",
                    chat[0],
                    "telegram",
                    account,
                    payload,
                )
        names.append(name)
    # The first customer also sends a file, to be saved on their contact.
    rpc(
        "admin",
        "livechat.test.gateway",
        "receive",
        chat[0],
        "telegram",
        {"external_id": "xss-%s-0" % tag},
        "A file (%s)" % tag,
        attachments=[
            {
                "name": "notes-%s.txt" % tag,
                "datas": base64.b64encode(b"plain notes").decode(),
            }
        ],
    )
    return names


def test_no_payload_runs_in_the_workspace_search_or_widget(new_page, rpc, opened):
    tag = uuid.uuid4().hex[:6]
    names = send_corpus(rpc, tag)
    page = open_workspace(new_page("supervisor"))
    dialogs, popups = trap(page)
    url = page.url
    open_group(page, "Customer Support", "Queue")
    for name in names:
        short = name.split(" <")[0]
        page.click(".o_lc_ws_session:has-text('%s')" % short)
        page.wait_for_selector(".o_lc_ws_about:has-text('%s')" % short)
        page.wait_for_selector(
            ".o_lc_message.o_lc_in >> nth=%d"
            % (min(PER_SESSION, 186 - names.index(name) * PER_SESSION) - 1)
        )
        click_every_element(
            page, ".o_lc_body", dialogs, popups, "the workspace (%s)" % short
        )
        # Search hits highlight text inside the bodies.
        page.fill(".o_lc_ws_search", "click")
        page.wait_for_selector(".o_lc_search_bar.o_lc_searching")
        click_every_element(
            page, ".o_lc_body", dialogs, popups, "the search hits (%s)" % short
        )
        page.click(".o_lc_search_clear")
        page.wait_for_selector(".o_lc_search_bar.o_lc_searching", state="detached")
        assert page.url.split("#")[0] == url.split("#")[0]

    # The same customer on a contact's form (the widget, by account); the
    # contact's name is a payload too (the customer chose it).
    partner = rpc(
        "admin",
        "res.partner",
        "create",
        {"name": "Xena %s <img src=x onerror=__xss(30001)>" % tag},
    )
    account = rpc(
        "admin", "livechat.account", "search", [("external_id", "=", "xss-%s-0" % tag)]
    )
    rpc("admin", "livechat.account", "write", account, {"partner_id": partner})
    widget = new_page("supervisor")
    dialogs, popups = trap(widget)
    open_client(widget, "id=%d&model=res.partner&view_type=form" % partner)
    widget.click("a[role=tab]:text-is('Live Chat')")
    widget.wait_for_selector(
        ".o_livechat_messages .o_lc_message.o_lc_in >> nth=%d" % (PER_SESSION - 1)
    )
    # The trap again: the form may have been loaded in a new document.
    widget.evaluate(TRAP)
    click_every_element(
        widget, ".o_livechat_messages .o_lc_body", dialogs, popups, "the widget"
    )

    # Saving the customer's file on their contact: Odoo's notification
    # shows the contact's name, as text.
    admin = open_workspace(new_page("admin"))
    dialogs, popups = trap(admin)
    open_group(admin, "Customer Support", "Queue")
    short = names[0].split(" <")[0]
    admin.click(".o_lc_ws_session:has-text('%s')" % short)
    file_message = admin.locator(".o_lc_message:has-text('A file (%s)')" % tag)
    file_message.locator(".o_lc_save_attachment").click()
    admin.select_option(".modal .o_lc_save_target", "contact")
    admin.click(".modal-footer button:has-text('Save')")
    notification = admin.locator(".o_notification:has-text('A copy is attached to')")
    notification.wait_for()
    assert "<img src=x onerror=__xss(30001)>" in notification.inner_text()
    assert_nothing_ran(admin, dialogs, popups, "the notification")


def test_no_payload_runs_in_the_employees_chat_or_the_visitors_window(
    new_page, rpc, browser, shop_site, opened  # noqa: F811 (a fixture)
):
    payloads = [payload for _n, payload in xss_payloads.payloads()]
    # An employee writes; an operator answers with the corpus as HTML.
    employee = new_page("reader")
    dialogs, popups = trap(employee)
    tag = uuid.uuid4().hex[:6]
    employee.click(".o_lc_internal_menu > a")
    employee.click(".o_lc_internal_chat:has-text('Customer Support')")
    window = employee.locator(".o_lc_internal_window")
    first = window.locator(".o_lc_iw_first")
    opening = "Help <svg onload=__xss(20001)> (%s)" % tag
    if first.count():
        first.fill(opening)
        window.locator(".o_lc_iw_start").click()
    else:
        window.locator(".o_lc_composer_input").fill(opening)
        window.locator(".o_lc_composer_input").press("Enter")
    window.locator(".o_lc_message", has_text="(%s)" % tag).wait_for()
    [message] = rpc(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "like", "(%s)" % tag)],
        ["session_id"],
    )
    session = message["session_id"][0]
    opened.append(session)
    replies = payloads[:PER_SESSION]
    for payload in replies:
        reply_html(rpc, session, payload)
    rpc("supervisor", "livechat.session", "reply", [session], "Last (%s)" % tag)
    window.locator(".o_lc_message", has_text="Last (%s)" % tag).wait_for()
    click_every_element(
        employee,
        ".o_lc_internal_window .o_lc_body",
        dialogs,
        popups,
        "the employees' chat",
    )

    # A website visitor: their window shows the operators' replies as text.
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        visitor = context.new_page()
        visitor.set_default_timeout(WAIT_MS)
        visitor.goto(shop_site)
        dialogs, popups = trap(visitor)
        root = visitor.locator(".o_livechat_visitor")
        root.locator(".lcv-button").click()
        root.locator(".lcv-name").fill("Vic <img src=x onerror=__xss(20002)> %s" % tag)
        root.locator(".lcv-input").fill(payloads[1])
        root.locator(".lcv-input").press("Enter")
        visitor.wait_for_selector(
            ".o_livechat_visitor .lcv-msg.in[data-id]:not(" "[data-id=''])"
        )
        [message] = rpc(
            "admin",
            "livechat.message",
            "search_read",
            [("channel", "=", "website"), ("author_account_id.name", "like", tag)],
            ["session_id"],
        )
        website_session = message["session_id"][0]
        rpc(
            "supervisor",
            "livechat.session",
            "reply",
            [website_session],
            "Visitor replies (%s)" % tag,
        )
        for payload in payloads[:12]:
            reply_html(rpc, website_session, payload)
        rpc(
            "supervisor",
            "livechat.session",
            "reply",
            [website_session],
            "Done (%s)" % tag,
        )
        root.locator(".lcv-msg.out", has_text="Done (%s)" % tag).wait_for()
        click_every_element(
            visitor,
            ".lcv-msg",
            dialogs,
            popups,
            "the visitor's window",
            host=".o_livechat_visitor",
        )
        assert json.loads(json.dumps(visitor.evaluate("window.__xssRan"))) == []
    finally:
        context.close()
