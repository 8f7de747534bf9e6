"""Browser test harness: a real Odoo 11 server and Debian's Chromium,
driven by Playwright for Python.

The server runs the project's addons on ``LIVECHAT_TEST_DB`` (created with
demo data when missing) on a free port; each test gets a fresh browser
context. Odoo's web client keeps a long-polling request open, so tests wait
for selectors, never for "networkidle".
"""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "var" / "browser"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _db_exists(name):
    out = subprocess.run(["psql", "-lqtA"], capture_output=True, text=True).stdout
    return any(line.split("|")[0] == name for line in out.splitlines())


@pytest.fixture(scope="session")
def odoo_url():
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "odoo.log").unlink(missing_ok=True)
    if not _db_exists(db):
        subprocess.run([str(ROOT / "scripts" / "create-demo-db.sh"), db], check=True)
    server, url, log = _start_server(db)
    yield url
    _stop(server)
    log.close()


def _start_server(db, attempts=2):
    """Start Odoo on a free port and wait until it serves ``db``.

    Odoo loads the database's registry at start; when that fails (seen once
    on CI right after the demo database was created), Odoo still answers
    /web/login but serves a half-loaded registry. The log says so: the
    server is then started again, once.
    """
    odoo = str(ROOT / "scripts" / "odoo")
    for attempt in range(1, attempts + 1):
        port = free_port()
        log = open(ARTIFACTS / "odoo.log", "a")
        server = subprocess.Popen(
            # queue_job's runner delivers replies to messengers (livechat_channels).
            [
                odoo,
                "-d",
                db,
                "--db-filter=^%s$" % db,
                "--http-interface=127.0.0.1",
                "--http-port=%d" % port,
                "--load=web,queue_job",
                "--log-level=%s" % os.environ.get("LIVECHAT_ODOO_LOG_LEVEL", "warn"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:2,root.livechat:1"),
        )
        url = "http://127.0.0.1:%d" % port
        deadline = time.time() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError("Odoo stopped at start; see %s" % log.name)
            try:
                with urllib.request.urlopen(url + "/web/login", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                server.terminate()
                raise RuntimeError("Odoo did not answer within 120 s")
            time.sleep(0.5)
        log.flush()
        if "Failed to load registry" not in (ARTIFACTS / "odoo.log").read_text():
            return server, url, log
        _stop(server)
        log.write("\n=== registry failed to load: starting Odoo again ===\n")
        log.close()
        (ARTIFACTS / "odoo.log").rename(
            ARTIFACTS / ("odoo-failed-start-%d.log" % attempt)
        )
    raise RuntimeError(
        "Odoo could not load %s; see var/browser/odoo-failed-start-*.log" % db
    )


def _stop(server):
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, odoo_url):
    """``new_page(login)``: a page logged in as ``login`` (password = login,
    as in the demo data), in a context of its own."""
    contexts = []

    def _open(login, password=None, width=1280, height=800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=odoo_url
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        page.goto("/web/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password or login)
        page.click("button[type=submit]")
        page.wait_for_selector("#oe_main_menu_navbar", state="attached")
        return page

    yield _open
    for context in contexts:
        context.close()


def screenshot(page, name):
    """Save a screenshot under var/browser (kept by CI as an artifact)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / ("%s.png" % name)))


@pytest.fixture
def rpc(odoo_url):
    """``rpc(login, model, method, *args, **kwargs)``: an external JSON-RPC
    call, as any client would make it (password = login)."""
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")

    def _call(service, method, *args):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"service": service, "method": method, "args": args},
            }
        ).encode()
        request = urllib.request.Request(
            odoo_url + "/jsonrpc", body, {"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as resp:
            answer = json.loads(resp.read())
        if answer.get("error"):
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def _rpc(login, model, method, *args, **kwargs):
        uid = _call("common", "login", db, login, login)
        return _call(
            "object", "execute_kw", db, uid, login, model, method, list(args), kwargs
        )

    return _rpc


def customer_writes(rpc, external_id, body, name=None, chat="Customer Support"):
    """A customer's message through the way in, over RPC as a connector
    would send it; returns the stored message's id."""
    chat_ids = rpc("admin", "livechat.chat", "search", [("name", "=", chat)])
    account = {"external_id": external_id}
    if name:
        account["name"] = name
    return rpc(
        "admin", "livechat.chat", "receive_message", chat_ids, "telegram", account, body
    )
