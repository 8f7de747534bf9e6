"""Workspaces follow the team live from the bus payloads: what two
operators' screens show while customers write and the team acts is what a
reload shows, and a message updates a row without the server being asked."""

import os
import time
import uuid

from conftest import customer_writes, open_client, psql

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


def test_a_workspace_back_online_reads_what_it_missed(new_page, rpc):
    """Offline longer than the bus keeps notifications: once the browser is
    online again, the workspace reads its menu and list again."""
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
    tag = uuid.uuid4().hex[:6]
    chat_id = rpc("admin", "livechat.chat", "search", [("name", "=", CHAT)])[0]
    oscar = new_page("operator")
    open_on(oscar, chat_id, "queue")
    # The bus goes dark: the poll waiting now returns (a notification of
    # no concern to Live Chats), every later one fails.
    dark = {"on": True}
    oscar.route(
        "**/longpolling/poll",
        lambda route: route.abort() if dark["on"] else route.continue_(),
    )
    partner_id = rpc(
        "admin",
        "res.users",
        "search_read",
        [("login", "=", "operator")],
        ["partner_id"],
    )[0]["partner_id"][0]
    channel = '["%s","res.partner",%d]' % (db, partner_id)
    with oscar.expect_response("**/longpolling/poll"):
        psql(
            db,
            "INSERT INTO bus_bus (channel, message, create_date, write_date) "
            "VALUES ('%s', '{\"type\": \"x\"}', now() AT TIME ZONE 'UTC', "
            "now() AT TIME ZONE 'UTC')" % channel,
        )
        psql("postgres", "NOTIFY imbus, '[%s]'" % channel)
    oscar.context.set_offline(True)
    oscar.wait_for_function("() => navigator.onLine === false")
    reads = []
    oscar.on(
        "request",
        lambda request: "/livechat.workspace/sessions" in request.url
        and reads.append(request.url),
    )
    last = int(psql(db, "SELECT coalesce(max(id), 0) FROM bus_bus"))
    customer = "away-%s" % tag
    session = session_of(
        rpc,
        customer_writes(rpc, customer, "Written while you were away", name=customer),
    )
    # Gone by the time the page is back, as after the bus's 100 seconds.
    psql(db, "DELETE FROM bus_bus WHERE id > %d" % last)
    dark["on"] = False
    oscar.context.set_offline(False)
    oscar.wait_for_selector(".o_lc_ws_session[data-id='%d']" % session)
    assert reads, "the list was read again once online"
