"""Fan-out benchmark: what one customer message costs the screens that are
open, in real Chromium, against Odoo 11 Discuss doing the same in the same
run.

Ours: an operator's workspace open on session A; website visitors write
through the public routes (``/livechat/visitor/post``) into session B (another
session of the operator) and into A (the open one), one message every
1.5 s; then a burst of 50 messages in one second into A, B, C and D (four
sessions of the operator: one visitor may write 20 messages a minute).
Peer: the same operator's Discuss open on im_livechat channel A;
im_livechat visitors write through ``/mail/chat_post`` into channels B and
A, same cadence, same burst into four channels.

Counted on the page: the RPCs it sends (JSON requests other than the long
poll: ``/web/dataset/*``, ``/mail/*``, ``/im_livechat/*``), after each
message has shown on the screen and the client's debounce and throttle
timers have run out. Then 1, 3 and 5 operators of one team, each with their
workspace open (one browser context each, all in one Chromium), get 10
messages of a queued session: RPCs in total per message, and bus rows
written per message.

Usage: .venv-tools/bin/python bench/fanout.py --db livechat_bench
(Odoo is started on a free port; the last line is a JSON object.)
"""

import argparse
import json
import os
import sys
import time
import urllib.request
import uuid
import xmlrpc.client
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from conftest import CHROMIUM, _stop, start_odoo  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

CADENCE = 1.5
MESSAGES = 10
BURST = 50
#: The clients' timers (our debounce 200 ms, mark-seen throttle 3 s;
#: Discuss' channel_seen throttle 3 s) run out within this.
SETTLE = 4.0
RPC_MARKERS = ("/web/dataset/", "/mail/", "/im_livechat/", "/livechat/")


class Odoo(object):
    def __init__(self, url, db):
        self.url, self.db = url, db
        self.common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
        self.models = xmlrpc.client.ServerProxy(
            url + "/xmlrpc/2/object", allow_none=True
        )
        self.uids = {}

    def call(self, login, model, method, *args, **kwargs):
        if login not in self.uids:
            self.uids[login] = self.common.authenticate(self.db, login, login, {})
        return self.models.execute_kw(
            self.db, self.uids[login], login, model, method, list(args), kwargs
        )

    def post_json(self, path, payload, rpc=False):
        body = {"jsonrpc": "2.0", "params": payload} if rpc else payload
        request = urllib.request.Request(
            self.url + path,
            json.dumps(body).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            data = json.loads(answer.read().decode())
        return data.get("result", data) if rpc else data


def make_team(odoo, tag, size):
    """``size`` operators (login = password) of one team and its chat."""
    admin = "admin"
    team = odoo.call(admin, "res.groups", "create", {"name": "Fan-out %s" % tag})
    groups = [
        odoo.call(admin, "ir.model.data", "xmlid_to_res_id", xmlid)
        for xmlid in (
            "livechat_sessions.group_livechat_operator",
            "im_livechat.im_livechat_group_user",
        )
    ] + [team]
    logins = []
    for index in range(size):
        login = "fanout-%s-%d" % (tag, index)
        odoo.call(
            admin,
            "res.users",
            "create",
            {
                "name": "Fan-out operator %d %s" % (index, tag),
                "login": login,
                "password": login,
                "livechat_status": "online",
                "groups_id": [(6, 0, groups)],
            },
        )
        logins.append(login)
    chat = odoo.call(
        admin,
        "livechat.chat",
        "create",
        {
            "name": "Fan-out %s" % tag,
            "operator_group_ids": [(6, 0, [team])],
            "supervisor_group_ids": [(6, 0, [team])],
            "website_enabled": True,
        },
    )
    key = odoo.call(admin, "livechat.chat", "read", [chat], ["website_key"])[0][
        "website_key"
    ]
    return logins, chat, key


class Visitor(object):
    """A website visitor of our chat, through the public routes."""

    def __init__(self, odoo, key):
        self.odoo, self.key = odoo, key
        self.token = odoo.post_json("/livechat/visitor/start", {"key": key})["token"]

    def write(self, text):
        self.odoo.post_json(
            "/livechat/visitor/post",
            {
                "key": self.key,
                "token": self.token,
                "client_id": str(uuid.uuid4()),
                "body": text,
            },
        )


class PeerVisitor(object):
    """An im_livechat visitor, through Odoo 11's public routes."""

    def __init__(self, odoo, channel_id, name):
        self.odoo = odoo
        session = odoo.post_json(
            "/im_livechat/get_session",
            {"channel_id": channel_id, "anonymous_name": name},
            rpc=True,
        )
        if not session:
            raise RuntimeError("im_livechat found no available operator")
        self.uuid, self.channel_id = session["uuid"], session["id"]

    def write(self, text):
        self.odoo.post_json(
            "/mail/chat_post", {"uuid": self.uuid, "message_content": text}, rpc=True
        )


def counted(page, payloads=None):
    """The page's RPCs from now on: a list the page's requests fill (and,
    with ``payloads``, the types of the bus payloads it received)."""
    calls = []

    def on_request(request):
        url = request.url
        if (
            "/longpolling/" not in url
            and "/static/" not in url
            and any(m in url for m in RPC_MARKERS)
        ):
            calls.append(url.split("?")[0])

    def on_response(response):
        if "/longpolling/poll" in response.url:
            try:
                result = response.json().get("result") or []
            except Exception:  # pylint: disable=broad-except
                return
            for item in result:
                message = item.get("message")
                if isinstance(message, dict):
                    payloads.append((len(calls), message.get("type")))

    page.on("request", on_request)
    if payloads is not None:
        page.on("response", on_response)
    return calls


def login(browser, url, user):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=url)
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto("/web/login")
    page.fill("input[name=login]", user)
    page.fill("input[name=password]", user)
    page.click("button[type=submit]")
    page.wait_for_selector("#oe_main_menu_navbar", state="attached")
    return context, page


def cadence(write, texts, page, shown):
    """Write ``texts`` one every CADENCE seconds, each waited for on the
    page (``shown(text)``: a selector that exists once it is on screen)."""
    for text in texts:
        started = time.time()
        write(text)
        if shown:
            page.wait_for_selector(shown(text), state="attached")
        time.sleep(max(0.0, CADENCE - (time.time() - started)))


def quiet(calls, seconds=SETTLE, timeout=60):
    """Wait until the page has sent no RPC for ``seconds`` (after loading,
    Odoo's bus hands the page the last minute's notifications, late on a
    busy machine)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        seen = len(calls)
        time.sleep(seconds)
        if len(calls) == seen:
            return
    raise RuntimeError("the page kept sending RPCs: %s" % calls[-5:])


def measure(page, calls, steps):
    """RPCs of each step: (name, function) run in turn."""
    result = {}
    for name, run, count in steps:
        quiet(calls)
        before = len(calls)
        run()
        time.sleep(SETTLE)
        result[name] = {
            "rpcs": len(calls) - before,
            "per_message": round((len(calls) - before) / count, 2),
        }
    return result


def burst(writers, tag):
    """BURST messages within about one second, spread over ``writers``
    (after a minute's pause: the website chat allows a visitor 20 messages
    a minute and an address 120)."""
    time.sleep(61)
    started = time.time()
    for index in range(BURST):
        writers[index % len(writers)]("%s burst %d" % (tag, index))
        time.sleep(max(0.0, started + (index + 1) / BURST - time.time()))


def three_steps(page, calls, visitors, tag, thread, b_shown):
    """The measure of each side: messages into B (``b_shown(text)``: the
    selector showing that B's message arrived), into the open A (shown in
    its ``thread``), then the burst into the four of them."""
    a, b = visitors[:2]

    def into_b():
        cadence(b.write, ["B %s %d" % (tag, i) for i in range(MESSAGES)], page, b_shown)

    def into_a():
        cadence(
            a.write,
            ["A %s %d" % (tag, i) for i in range(MESSAGES)],
            page,
            lambda text: thread % text,
        )

    def burst_all():
        burst([visitor.write for visitor in visitors], tag)
        # Index BURST - 2 is A's (the writers take turns).
        page.wait_for_selector(thread % ("%s burst %d" % (tag, BURST - 2)))

    result = measure(
        page,
        calls,
        [
            ("other_session", into_b, MESSAGES),
            ("open_session", into_a, MESSAGES),
            ("burst_50", burst_all, BURST),
        ],
    )
    result["calls"] = sorted(set(calls))
    return result


def ours(browser, odoo, url, tag):
    [operator], chat, key = make_team(odoo, tag + "o", 1)
    a, b, c, d = (Visitor(odoo, key) for _i in range(4))
    for name, visitor in zip("ABCD", (a, b, c, d)):
        visitor.write("%s: hello" % name)
    sessions = odoo.call(
        "admin", "livechat.session", "search", [("chat_id", "=", chat)]
    )
    for session_id in sessions:
        odoo.call(operator, "livechat.session", "action_take", [session_id])
    session_a = odoo.call(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", "A: hello"), ("session_id.chat_id", "=", chat)],
        fields=["session_id"],
    )[0]["session_id"][0]
    session_b = odoo.call(
        "admin",
        "livechat.message",
        "search_read",
        [("body", "ilike", "B: hello"), ("session_id.chat_id", "=", chat)],
        fields=["session_id"],
    )[0]["session_id"][0]
    context, page = login(browser, url, operator)
    page.goto("about:blank")
    page.goto(
        "/web#action=livechat_workspace&chat_id=%d&session_id=%d" % (chat, session_a)
    )
    try:
        page.wait_for_selector(".o_lc_ws_conversation .o_lc_message")
    except Exception:
        page.screenshot(path=str(ROOT / "var" / "bench-fanout-failed.png"))
        raise
    page.wait_for_selector(".o_lc_ws_session[data-id='%d']" % session_b)
    payloads = []
    calls = counted(page, payloads)
    row_b = ".o_lc_ws_session[data-id='%d'] .o_lc_ws_unread:text-is('%%d')" % session_b
    unread = {"n": 1}

    def b_shown(_text):
        unread["n"] += 1
        return row_b % unread["n"]

    result = three_steps(
        page,
        calls,
        (a, b, c, d),
        tag,
        thread=".o_lc_ws_conversation .o_lc_thread :text('%s')",
        b_shown=b_shown,
    )
    result["payload_types"] = sorted(set(kind for _at, kind in payloads))
    context.close()
    return result


def peer(browser, odoo, url, tag):
    [operator], _chat, _key = make_team(odoo, tag + "p", 1)
    user_id = odoo.call("admin", "res.users", "search", [("login", "=", operator)])[0]
    channel = odoo.call(
        "admin",
        "im_livechat.channel",
        "create",
        {"name": "Fan-out peer %s" % tag, "user_ids": [(6, 0, [user_id])]},
    )
    # The operator's open Discuss makes them available (bus presence).
    context, page = login(browser, url, operator)
    page.goto("about:blank")
    page.goto("/web#action=mail.mail_channel_action_client_chat")
    page.wait_for_selector(".o_mail_chat")
    deadline = time.time() + 60
    while True:
        try:
            a = PeerVisitor(odoo, channel, "Visitor A %s" % tag)
            break
        except RuntimeError:
            if time.time() > deadline:
                raise
            time.sleep(1)
    b, c, d = (PeerVisitor(odoo, channel, "Visitor %s %s" % (n, tag)) for n in "BCD")
    for name, visitor in zip("ABCD", (a, b, c, d)):
        visitor.write("%s: hello" % name)
    page.goto("about:blank")
    page.goto(
        "/web#action=mail.mail_channel_action_client_chat&active_id=%d" % a.channel_id
    )
    page.wait_for_selector(".o_thread_message:has-text('A: hello')")
    calls = counted(page)
    sidebar = ".o_mail_chat_sidebar [data-channel-id='%d'] .badge" % b.channel_id
    result = three_steps(
        page,
        calls,
        (a, b, c, d),
        tag,
        thread=".o_mail_chat_content .o_thread_message :text('%s')",
        b_shown=lambda _text: sidebar,
    )
    context.close()
    return result


def team(browser, odoo, url, tag, size):
    """``size`` workspaces of one team, a queued session's customer writing."""
    logins, chat, key = make_team(odoo, "%st%d" % (tag, size), size)
    visitor = Visitor(odoo, key)
    visitor.write("T: hello")
    pages, all_calls = [], []
    for user in logins:
        context, page = login(browser, url, user)
        page.goto("about:blank")
        page.goto("/web#action=livechat_workspace&chat_id=%d" % chat)
        page.wait_for_selector(".o_lc_ws_session")
        pages.append((context, page))
        all_calls.append(counted(page))
    for calls in all_calls:
        quiet(calls)
    bus_before = odoo.call("admin", "bus.bus", "search_count", [])
    before = sum(len(c) for c in all_calls)
    for index in range(MESSAGES):
        visitor.write("T %d" % index)
        time.sleep(CADENCE)
    time.sleep(SETTLE)
    rpcs = sum(len(c) for c in all_calls) - before
    bus_rows = odoo.call("admin", "bus.bus", "search_count", []) - bus_before
    for context, _page in pages:
        context.close()
    return {
        "workspaces": size,
        "rpcs_per_message": round(rpcs / MESSAGES, 2),
        "bus_rows_per_message": round(bus_rows / MESSAGES, 2),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="livechat_bench")
    parser.add_argument("--teams", default="1,3,5")
    parser.add_argument(
        "--teams-only",
        action="store_true",
        help="only the teams' step (its sizes from --teams)",
    )
    args = parser.parse_args()
    log = ROOT / "var" / "bench-fanout-odoo.log"
    log.parent.mkdir(exist_ok=True)
    server, url = start_odoo(args.db, log, env=dict(os.environ))
    tag = uuid.uuid4().hex[:6]
    try:
        odoo = Odoo(url, args.db)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            result = {}
            if not args.teams_only:
                result["ours"] = ours(browser, odoo, url, tag)
                result["peer"] = peer(browser, odoo, url, tag)
            result["teams"] = [
                team(browser, odoo, url, tag, int(size))
                for size in args.teams.split(",")
            ]
            browser.close()
    finally:
        _stop(server)
    for row in result["teams"]:
        print("team", row)
    if args.teams_only:
        print(json.dumps({"teams": result["teams"]}))
        return
    for side in ("ours", "peer"):
        print(side, json.dumps(result[side], indent=1))
    figures = {
        "ours_rpcs_per_message_other_session": result["ours"]["other_session"][
            "per_message"
        ],
        "peer_rpcs_per_message_other_session": result["peer"]["other_session"][
            "per_message"
        ],
        "ours_rpcs_per_message_open_session": result["ours"]["open_session"][
            "per_message"
        ],
        "peer_rpcs_per_message_open_session": result["peer"]["open_session"][
            "per_message"
        ],
        "ours_rpcs_burst_50": result["ours"]["burst_50"]["rpcs"],
        "peer_rpcs_burst_50": result["peer"]["burst_50"]["rpcs"],
        "teams": result["teams"],
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
