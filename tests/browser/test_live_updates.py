"""Workspaces follow the team live from the bus payloads: what two
operators' screens show while customers write and the team acts is what a
reload shows, and a message updates a row without the server being asked."""

import time
import uuid

from conftest import customer_writes, open_client

CHAT = "Customer Support"

SNAPSHOT = """() => {
    const text = (node) => node && !node.classList.contains('hidden')
        ? node.textContent.trim() : '';
    return {
        counters: Array.from(document.querySelectorAll('.o_lc_ws_group')).map(
            (g) => [g.dataset.chat, g.dataset.group, text(g.querySelector('.badge'))]),
        rows: Array.from(document.querySelectorAll('.o_lc_ws_session')).map(
            (r) => [r.dataset.id, text(r.querySelector('.o_lc_ws_unread'))]),
        unread: text(document.querySelector('.o_lc_ws_unread_total')),
    };
}"""


def snapshot(page):
    return page.evaluate(SNAPSHOT)


def open_on(page, chat_id, group):
    open_client(page, "action=livechat_workspace")
    page.wait_for_selector(".o_lc_workspace .o_lc_ws_group")
    page.click(".o_lc_ws_group[data-chat='%d'][data-group='%s']" % (chat_id, group))
    page.wait_for_selector(
        ".o_lc_ws_group.active[data-chat='%d'][data-group='%s']" % (chat_id, group)
    )
    # The group's list has come (its rows, or its empty line).
    page.wait_for_selector(".o_lc_ws_session, .o_lc_ws_empty", state="attached")


def settled(live, fresh, timeout=30):
    """Wait until ``live`` shows what ``fresh`` (loaded after the team's
    last action) shows."""
    deadline = time.time() + timeout
    while True:
        shown, expected = snapshot(live), snapshot(fresh)
        if shown == expected:
            return shown
        if time.time() > deadline:
            raise AssertionError(
                "shown, then as a reload shows it:\n%s"
                % "\n".join(
                    "%s: %s\n    %s" % (key, shown[key], expected[key])
                    for key in expected
                    if shown[key] != expected[key]
                )
            )
        live.wait_for_timeout(200)


def session_of(rpc, message_id):
    return rpc("admin", "livechat.message", "read", [message_id], ["session_id"])[0][
        "session_id"
    ][0]


def test_two_workspaces_follow_the_team_as_a_reload_shows(new_page, rpc):
    tag = uuid.uuid4().hex[:6]
    chat_id = rpc("admin", "livechat.chat", "search", [("name", "=", CHAT)])[0]
    oscar, olga = new_page("operator"), new_page("operator2")
    open_on(oscar, chat_id, "mine")
    open_on(olga, chat_id, "queue")
    customers = ["live-%s-%d" % (tag, index) for index in range(3)]
    sessions = [
        session_of(
            rpc, customer_writes(rpc, customer, "Hello %s" % customer, name=customer)
        )
        for customer in customers
    ]
    # The team at work while the customers write.
    rpc("operator", "livechat.session", "action_take", [sessions[0]])
    rpc("operator", "livechat.session", "reply", [sessions[0]], "Hello, Oscar here")
    rpc("operator2", "livechat.session", "action_take", [sessions[1]])
    customer_writes(rpc, customers[0], "Still broken")
    customer_writes(rpc, customers[1], "Any news?")
    customer_writes(rpc, customers[2], "Hello?")
    operator_id = rpc("admin", "res.users", "search", [("login", "=", "operator")])[0]
    rpc("supervisor", "livechat.session", "action_assign", [sessions[2]], operator_id)
    customer_writes(rpc, customers[2], "Thanks")
    rpc("operator2", "livechat.session", "action_close", [sessions[1]])
    customer_writes(rpc, customers[0], "One more thing")
    # Each screen, against the same screen loaded now.
    for live, login, group in (
        (oscar, "operator", "mine"),
        (olga, "operator2", "queue"),
    ):
        fresh = new_page(login)
        open_on(fresh, chat_id, group)
        shown = settled(live, fresh)
        fresh.context.close()
        assert shown["counters"], "the menu shows the chat's groups"
    rows = dict(snapshot(oscar)["rows"])
    # Oscar's two sessions, their unread as the server counts them.
    assert rows[str(sessions[0])] and rows[str(sessions[2])]

    # A message in one of Oscar's sessions (not open): its row moves up
    # with one more unread, applied from the payload: the list is not
    # read again from the server before it shows.
    asked = []
    oscar.on(
        "request",
        lambda request: "/web/dataset/call_kw" in request.url
        and asked.append(request.post_data or ""),
    )
    before = int(rows[str(sessions[2])])
    customer_writes(rpc, customers[2], "Are you there?")
    oscar.wait_for_function(
        """([id, unread]) => {
            const first = document.querySelector('.o_lc_ws_session');
            const badge = first && first.querySelector('.o_lc_ws_unread');
            return first && first.dataset.id === id && badge &&
                badge.textContent.trim() === unread;
        }""",
        arg=[str(sessions[2]), str(before + 1)],
    )
    assert not [call for call in asked if '"sessions"' in call or '"load"' in call]
