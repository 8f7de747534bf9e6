"""Two Odoo servers on one database behind nginx (scripts/cluster.sh, as
``make cluster`` starts them), under faults: a server killed with SIGKILL
while webhooks arrive, servers restarted under a waiting website visitor,
the whole cluster restarted with replies still queued.

The cluster works on a copy of the browser tests' database (its own job
runner, crons and bus), on ports of its own; its logs are in
var/browser/cluster/. A fake Telegram Bot API counts what leaves.
"""

import http.client
import os
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from conftest import ARTIFACTS, ROOT, free_port, make_rpc, psql, screenshot
from test_channels import fake_providers, send_update, tg_update, wait_until
from test_workspace import open_group, open_workspace

DB = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
FILESTORE = Path.home() / ".local" / "share" / "Odoo" / "filestore"


class Cluster(object):
    """scripts/cluster.sh on free ports, its state in ``folder``."""

    def __init__(self, db, folder):
        self.db = db
        self.folder = folder
        ports = {
            "LIVECHAT_CLUSTER_PORT": free_port(),
            "LIVECHAT_CLUSTER_A_HTTP": free_port(),
            "LIVECHAT_CLUSTER_A_POLL": free_port(),
            "LIVECHAT_CLUSTER_B_HTTP": free_port(),
            "LIVECHAT_CLUSTER_B_POLL": free_port(),
        }
        self.env = dict(
            os.environ,
            LIVECHAT_CLUSTER_DIR=str(folder),
            LIVECHAT_CLUSTER_LOG_LEVEL="warn",
            **{key: str(port) for key, port in ports.items()},
        )
        self.url = "http://127.0.0.1:%d" % ports["LIVECHAT_CLUSTER_PORT"]
        self.server = {
            "a": "http://127.0.0.1:%d" % ports["LIVECHAT_CLUSTER_A_HTTP"],
            "b": "http://127.0.0.1:%d" % ports["LIVECHAT_CLUSTER_B_HTTP"],
        }
        self.rpc = make_rpc(self.url, db)

    def run(self, *args):
        done = subprocess.run(
            ["bash", str(ROOT / "scripts" / "cluster.sh")] + list(args),
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, "cluster.sh %s: %s%s" % (
            " ".join(args),
            done.stdout,
            done.stderr,
        )
        return done.stdout

    def sql(self, query):
        return psql(self.db, query)


def copy_database(source, target):
    """``target`` as a copy of ``source`` (which Odoo has open: a dump, not
    a template), with its filestore."""
    subprocess.run(["dropdb", "--if-exists", target], check=True)
    subprocess.run(["createdb", target], check=True)
    dump = subprocess.Popen(["pg_dump", "-Fc", source], stdout=subprocess.PIPE)
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", target], stdin=dump.stdout, check=True
    )
    assert dump.wait() == 0
    shutil.rmtree(FILESTORE / target, ignore_errors=True)
    if (FILESTORE / source).exists():
        shutil.copytree(FILESTORE / source, FILESTORE / target)


@pytest.fixture(scope="module")
def cluster(odoo_url):
    db = DB + "_cluster"
    copy_database(DB, db)
    folder = ARTIFACTS / "cluster"
    shutil.rmtree(folder, ignore_errors=True)
    running = Cluster(db, folder)
    running.run("start", db)
    yield running
    running.run("stop")
    subprocess.run(["dropdb", "--if-exists", db])
    shutil.rmtree(FILESTORE / db, ignore_errors=True)


@pytest.fixture
def bot(cluster):
    """A fake Telegram bot connected to the cluster's Customer Support."""
    rpc = cluster.rpc
    token = "4343:%s" % uuid.uuid4().hex
    fake = fake_providers.FakeTelegram(token)
    chat_id = rpc(
        "admin", "livechat.chat", "search", [("name", "=", "Customer Support")]
    )[0]
    model = "livechat.connector.telegram"
    rpc("admin", model, "unlink", rpc("admin", model, "search", []))
    connector = rpc(
        "admin",
        model,
        "create",
        {
            "name": "Cluster bot",
            "bot_token": token,
            "api_url": fake.url,
            "fetch_avatars": False,
            "chat_id": chat_id,
        },
    )
    rpc("admin", model, "action_connect", [connector])
    fake.connector = connector
    fake.path = "/livechat/telegram/" + fake.webhook["url"].rsplit("/", 1)[-1]
    yield fake
    fake.stop()


def hook(base_url, bot):
    return dict(bot.webhook, url=base_url + bot.path)


def sent_to(bot, user_id):
    return [c for c in bot.calls_of("sendMessage") if c["chat_id"] == str(user_id)]


def session_of(cluster, bot, update_id):
    return int(
        cluster.sql(
            "SELECT session_id FROM livechat_message WHERE external_id = '%d:%d'"
            % (bot.connector, update_id)
        )
    )


def stored_update_ids(cluster, bot):
    out = cluster.sql(
        "SELECT external_id FROM livechat_message WHERE external_id LIKE '%d:%%'"
        % bot.connector
    )
    return [int(line.split(":", 1)[1]) for line in out.split()]


def new_id():
    return int(time.time() * 1000) % 10**9


def test_a_message_through_one_server_reaches_an_operator_polling_the_other(
    cluster, bot, browser
):
    """The customer's webhook reaches server a (directly); the operator's
    browser polls through nginx, which sends the poll to a or b in turn:
    the message reaches them from b's long-polling process too. The reply
    leaves once, through the job runner of server a."""
    context = browser.new_context(base_url=cluster.url)
    try:
        operator = context.new_page()
        operator.set_default_timeout(30000)
        polls = []  # (server, body) of each answered bus poll

        def on_response(response):
            if response.url.endswith("/longpolling/poll"):
                try:
                    polls.append(
                        (response.headers.get("x-odoo-server"), response.text())
                    )
                except Exception:  # pylint: disable=broad-except
                    pass  # a poll cut off by the page's own navigation

        operator.on("response", on_response)
        operator.goto("/web/login")
        operator.fill("input[name=login]", "operator")
        operator.fill("input[name=password]", "operator")
        operator.click("button[type=submit]")
        operator.wait_for_selector("#oe_main_menu_navbar", state="attached")
        open_workspace(operator)
        open_group(operator, "Customer Support", "Queue")
        base = new_id()
        delivered_by = {}
        for attempt in range(8):
            # A new customer each time: their name is in the notification.
            user_id = 8000000 + (base + attempt) % 1000000
            name = "Tina %d-%d" % (base, attempt)
            update = tg_update(base + attempt, "Hello from the cluster", user_id)
            update["message"]["from"]["first_name"] = name
            assert send_update(hook(cluster.server["a"], bot), update) == 200
            operator.wait_for_selector(".o_lc_ws_session:has-text('%s')" % name)
            delivered_by[name] = wait_until(
                lambda: next((s for s, body in polls if name in body), None), 30, 0.1
            )
            if delivered_by[name] == "b":
                break
        assert "b" in delivered_by.values(), delivered_by
        # nginx sent the operator's polls to both servers.
        assert {server for server, _body in polls} >= {"a", "b"}
        screenshot(operator, "cluster-workspace")

        session_id = session_of(cluster, bot, base + attempt)
        cluster.rpc("operator", "livechat.session", "reply", [session_id], "Hello!")
        wait_until(lambda: sent_to(bot, user_id), 60)
        time.sleep(3)
        assert sent_to(bot, user_id) == [{"chat_id": str(user_id), "text": "Hello!"}]
    finally:
        context.close()


def queue_replies(cluster, bot, count, tag):
    """``count`` customers write (through nginx) and are answered while the
    Bot API fails: their replies wait in the queue. Returns the customers'
    Telegram ids."""
    bot.fail_next(
        502, {"ok": False, "description": "Bad Gateway"}, 10**6, method="send"
    )
    users = [9000000 + (new_id() + i) % 1000000 for i in range(count)]
    base = new_id() % 10**8
    for i, user in enumerate(users):
        update_id = base * 10 + i
        assert (
            send_update(hook(cluster.url, bot), tg_update(update_id, tag, user)) == 200
        )
        # A reply takes the queued session for the operator.
        cluster.rpc(
            "operator",
            "livechat.session",
            "reply",
            [session_of(cluster, bot, update_id)],
            "Reply to %d" % user,
        )
    return users


def bot_back(bot):
    with bot.lock:
        bot.failures[:] = []


def assert_each_sent_once(bot, users, timeout):
    wait_until(lambda: all(sent_to(bot, user) for user in users), timeout, 1)
    time.sleep(3)
    for user in users:
        assert sent_to(bot, user) == [
            {"chat_id": str(user), "text": "Reply to %d" % user}
        ]


def test_killing_a_server_loses_no_acknowledged_update_and_no_queued_reply(
    cluster, bot
):
    users = queue_replies(cluster, bot, 4, "Before the kill")
    base = new_id() % 10**8 * 10
    updates = iter(
        tg_update(base + n, "burst %d" % n, 7000000 + n % 50) for n in range(10**6)
    )
    sent, acked, lock = [], set(), threading.Lock()
    after_kill = {"sent": 0, "failed": []}
    killed, stop = threading.Event(), threading.Event()

    def client():
        target = hook(cluster.url, bot)
        while not stop.is_set():
            with lock:
                update = next(updates)
                sent.append(update["update_id"])
                after = killed.is_set()
            try:
                ok, error = send_update(target, update, timeout=30) == 200, None
            except (OSError, http.client.HTTPException) as failure:
                ok, error = False, str(failure)
            with lock:
                if ok:
                    acked.add(update["update_id"])
                if after:
                    after_kill["sent"] += 1
                    if not ok:
                        after_kill["failed"].append(error)

    threads = [threading.Thread(target=client) for _i in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_until(lambda: len(acked) >= 40, 60, 0.05)
        # Server a: half of the webhooks, and the job runner.
        killed.set()
        cluster.run("kill", "a")
        wait_until(lambda: after_kill["sent"] >= 200, 60, 0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    stored = stored_update_ids(cluster, bot)
    assert acked <= set(stored), "acknowledged but lost: %s" % sorted(
        acked - set(stored)
    )
    assert len(stored) == len(set(stored)), "stored twice"
    # nginx took server a out: every webhook sent from the kill on was
    # answered 200 (those cut off by the kill were sent on to b).
    assert not after_kill["failed"], after_kill["failed"][:5]
    assert set(sent) <= set(stored)

    # The replies queued before the kill leave once server a (the runner)
    # is back: each once, those whose job the kill cut off included.
    bot_back(bot)
    cluster.run("start-server", "a")
    assert_each_sent_once(bot, users, 180)


def test_a_website_visitor_keeps_the_conversation_through_rolling_restarts(
    cluster, browser
):
    rpc = cluster.rpc
    [chat] = rpc(
        "admin",
        "livechat.chat",
        "search_read",
        [("name", "=", "Customer Support")],
        ["website_key"],
    )
    context = browser.new_context(viewport={"width": 390, "height": 780})
    try:
        visitor = context.new_page()
        visitor.set_default_timeout(30000)
        visitor.set_content(
            "<!doctype html><html><body><h1>Shop</h1>"
            "<script src='%s/livechat/widget/%s.js' async></script></body></html>"
            % (cluster.url, chat["website_key"])
        )
        root = visitor.locator(".o_livechat_visitor")
        root.locator(".lcv-button").click()
        tag = uuid.uuid4().hex[:6]
        root.locator(".lcv-name").fill("Rolling %s" % tag)
        root.locator(".lcv-email").fill("rolling.%s@example.com" % tag)
        root.locator(".lcv-input").fill("Are you there? %s" % tag)
        root.locator(".lcv-input").press("Enter")
        visitor.wait_for_selector(".lcv-msg.in[data-id]:not([data-id='']):not(.error)")
        session_id = int(
            cluster.sql(
                "SELECT session_id FROM livechat_message WHERE body LIKE '%%%s%%'" % tag
            )
        )
        direct = {
            name: make_rpc(url, cluster.db) for name, url in cluster.server.items()
        }
        # Each server in turn is killed and started again; meanwhile the
        # other answers. The visitor's poll was on one of them each time.
        for step, (down, up) in enumerate([("a", "b"), ("b", "a"), ("a", "b")]):
            cluster.run("kill", down)
            text = "Reply %d while %s is down (%s)" % (step, down, tag)
            direct[up]("operator", "livechat.session", "reply", [session_id], text)
            root.locator(".lcv-msg.out", has_text=text).wait_for(timeout=60000)
            cluster.run("start-server", down)
        # Nothing shown twice.
        assert root.locator(".lcv-msg.out").count() == 3
    finally:
        context.close()


def test_restarting_the_whole_cluster_loses_no_queued_reply(cluster, bot):
    users = queue_replies(cluster, bot, 3, "Before the restart")
    cluster.run("stop")
    bot_back(bot)
    cluster.run("start", cluster.db)
    assert_each_sent_once(bot, users, 180)
