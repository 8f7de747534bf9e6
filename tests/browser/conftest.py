"""Browser test harness: a real Odoo 11 server and Debian's Chromium,
driven by Playwright for Python.

The server runs the project's addons on ``LIVECHAT_TEST_DB`` (created with
demo data when missing) on a free port; each test gets a fresh browser
context. Odoo's web client keeps a long-polling request open, so tests wait
for selectors, never for "networkidle".
"""

import collections
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
#: The log of the Odoo that serves the browser tests.
ODOO_LOG = ARTIFACTS / "odoo.log"
#: Addons of the tests only (scripts/odoo puts them on the addons path):
#: livechat_test_gateway lets the tests play customers over RPC, since the
#: way in is private.
TEST_ADDONS = ROOT / "tests" / "addons"
os.environ["LIVECHAT_EXTRA_ADDONS"] = str(TEST_ADDONS)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _db_exists(name):
    out = subprocess.run(["psql", "-lqtA"], capture_output=True, text=True).stdout
    return any(line.split("|")[0] == name for line in out.splitlines())


def _installed(db, module):
    out = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-tAc",
            "SELECT 1 FROM ir_module_module WHERE name = '%s' AND state = 'installed'"
            % module,
        ],
        capture_output=True,
        text=True,
    ).stdout
    return out.strip() == "1"


@pytest.fixture(scope="session")
def odoo_url():
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ODOO_LOG.unlink(missing_ok=True)
    (ARTIFACTS / "failures.txt").unlink(missing_ok=True)
    if not _db_exists(db):
        subprocess.run([str(ROOT / "scripts" / "create-demo-db.sh"), db], check=True)
    if not _installed(db, "livechat_test_gateway"):
        subprocess.run(
            [
                str(ROOT / "scripts" / "odoo"),
                "-d",
                db,
                "-i",
                "livechat_test_gateway",
                "--stop-after-init",
                "--log-level=warn",
                "--http-port=0",
            ],
            check=True,
        )
    # queue_job's runner delivers replies to messengers (livechat_channels).
    server, url = start_odoo(
        db,
        ODOO_LOG,
        ["--load=web,queue_job"],
        env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:2,root.livechat:1"),
    )
    yield url
    _stop(server)


#: What Odoo's log says when a start went wrong: the port was taken between
#: choosing it and binding it, or the registry did not load.
START_FAILURES = (
    "Address already in use",
    "Failed to load registry",
    "Failed to initialize database",
)


LOG_LEVEL = os.environ.get("LIVECHAT_ODOO_LOG_LEVEL", "warn")


def start_odoo(db, log_path, args=(), env=None, attempts=2):
    """Start Odoo on ``db`` on a free port; return the process (a session
    leader: its group can be killed) and its URL once it serves.

    No request is sent before Odoo has loaded the database's registry (its
    log says "Modules loaded."): Odoo 11 serves HTTP while it loads it, and
    its first request used to import every addon's controllers, which can
    deadlock with the registry's own imports (Python's _DeadlockError); the
    registry then never loads. scripts/odoo now turns that import off
    (ODOO_PRELOAD_ADDONS=no); the wait stays, so that no test depends on a
    server still loading. A start that fails all the same (its log says so)
    is tried again on another port.
    """
    odoo = str(ROOT / "scripts" / "odoo")
    reason = "no attempt"
    for _attempt in range(attempts):
        port = free_port()
        url = "http://127.0.0.1:%d" % port
        offset = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "a") as log:
            server = subprocess.Popen(
                [
                    odoo,
                    "-d",
                    db,
                    "--db-filter=^%s$" % db,
                    "--http-interface=127.0.0.1",
                    "--http-port=%d" % port,
                    "--log-level=%s" % LOG_LEVEL,
                    "--log-handler=odoo.modules.loading:INFO",
                ]
                + list(args),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        reason = _wait_serving(server, log_path, offset, url)
        if reason is None:
            return server, url
        _stop(server)
        with open(log_path, "a") as log:
            log.write("\n=== %s: starting Odoo again ===\n" % reason)
    raise RuntimeError(
        "Odoo did not serve %s (%s); its log ends with:\n%s"
        % (db, reason, "\n".join(log_path.read_text().splitlines()[-30:]))
    )


def _wait_serving(server, log_path, offset, url, timeout=120):
    """None once Odoo has loaded its registry and answers /web/login, or
    why not."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if server.poll() is not None:
            return "Odoo stopped"
        with open(log_path, "rb") as log:
            log.seek(offset)
            text = log.read().decode("utf-8", "replace")
        for failure in START_FAILURES:
            if failure in text:
                return failure
        if "Modules loaded." in text:
            try:
                with urllib.request.urlopen(url + "/web/login", timeout=5) as resp:
                    if resp.status == 200:
                        return None
            except OSError:
                pass
        time.sleep(0.5)
    return "no answer within %d s" % timeout


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


#: How long a page waits for a condition (ms). Tests wait on conditions,
#: never on time; this is only where a wait gives up. CI's two busy cores
#: once took more than 20 s to open a wizard or the workspace.
WAIT_MS = 40000


@pytest.fixture
def new_page(browser, odoo_url, request):
    """``new_page(login)``: a page logged in as ``login`` (password = login,
    as in the demo data), in a context of its own. What the page's scripts
    and Odoo said goes into the report of a test that fails."""
    contexts = []
    request.node.lc_pages = []

    def _open(login, password=None, width=1280, height=800):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=odoo_url
        )
        contexts.append(context)
        page = context.new_page()
        request.node.lc_pages.append((login, page, _listen(page)))
        page.set_default_timeout(WAIT_MS)
        page.goto("/web/login")
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", password or login)
        page.click("button[type=submit]")
        page.wait_for_selector("#oe_main_menu_navbar", state="attached")
        # The user's home action (Discuss) loads on: a menu clicked meanwhile
        # was undone when it ended (Odoo 11 does not cancel it; seen on CI's
        # busy cores). Every test starts once it is shown.
        page.wait_for_selector(
            ".o_control_panel .breadcrumb li, .o_lc_workspace", state="visible"
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def open_client(page, fragment):
    """Open the web client on ``/web#<fragment>`` as a fresh document.

    A ``goto`` that changes only the fragment of the page's URL stays in
    the same document, where the web client may still be loading the
    user's home action (Discuss for most), which pushes its own fragment
    when it ends. Leaving the page first makes ``fragment`` the only thing
    the new web client loads, in one navigation (tests used to reload
    after the ``goto``).
    """
    page.goto("about:blank")
    page.goto("/web#" + fragment)


def _listen(page):
    """Keep the last things a page's scripts and requests said: browser
    errors, failed requests, answers with an error status."""
    events = collections.deque(maxlen=15)
    page.on("pageerror", lambda error: events.append("page error: %s" % error))
    page.on(
        "console",
        lambda msg: msg.type == "error" and events.append("console: %s" % msg.text),
    )
    # Requests cut short by leaving a page (net::ERR_ABORTED) are not news.
    page.on(
        "requestfailed",
        lambda req: "ERR_ABORTED" not in (req.failure or "")
        and events.append("request failed: %s %s" % (req.url, req.failure)),
    )
    page.on(
        "response",
        lambda resp: resp.status >= 400
        and events.append("HTTP %d: %s" % (resp.status, resp.url)),
    )
    return events


@pytest.fixture(autouse=True)
def odoo_log_offset(request):
    """Where Odoo's log stood when the test began (for its failure report)."""
    request.node.lc_log_offset = ODOO_LOG.stat().st_size if ODOO_LOG.exists() else 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test reports, for each of its pages, where it was
    and what was on screen (its dialogs, its last errors), with a
    screenshot under var/browser/failures, and what Odoo logged meanwhile;
    the same text is kept in var/browser/failures.txt (make test prints
    it), since a flaky failure on CI cannot be looked at afterwards."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    lines = ["%s" % item.nodeid]
    folder = ARTIFACTS / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    for index, (login, page, events) in enumerate(getattr(item, "lc_pages", [])):
        lines.append("page %d (%s): %s" % (index, login, _safe(lambda: page.url)))
        lines.append("  on screen: %s" % _safe(lambda: _on_screen(page)))
        lines.extend("  %s" % event for event in events)
        shot = folder / ("%s-%d.png" % (item.name, index))
        _safe(lambda: page.screenshot(path=str(shot), timeout=5000))
    if ODOO_LOG.exists():
        with open(ODOO_LOG, "rb") as stream:
            stream.seek(getattr(item, "lc_log_offset", 0))
            logged = stream.read().decode("utf-8", "replace").splitlines()
        lines.append(
            "Odoo's log meanwhile (last 15 lines):%s" % ("" if logged else " nothing")
        )
        lines.extend("  %s" % line[:300] for line in logged[-15:])
    text = "\n".join(lines)
    report.sections.append(("browser pages", text))
    with open(ARTIFACTS / "failures.txt", "a") as stream:
        stream.write(text + "\n")


def _on_screen(page):
    """The page's title, its breadcrumbs and the text of any dialog on
    screen (and whether Odoo's "Loading" indicator is)."""
    return page.evaluate(
        """() => {
            const text = (sel) => Array.from(document.querySelectorAll(sel))
                .filter((el) => el.offsetParent !== null)
                .map((el) => el.innerText.replace(/\\s+/g, ' ').slice(0, 300))
                .join(' | ');
            return [document.title, 'breadcrumb: ' + text('.breadcrumb'),
                    'dialogs: ' + text('.modal-dialog'),
                    'loading: ' + text('.o_loading')].join('; ');
        }"""
    )


def _safe(call):
    try:
        return call()
    except Exception as error:  # a closed page must not hide the failure
        return "(%s)" % error


def screenshot(page, name):
    """Save a screenshot under var/browser (kept by CI as an artifact),
    once Odoo's "Loading" indicator is gone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".o_loading").first.wait_for(state="hidden", timeout=10000)
    page.screenshot(path=str(ARTIFACTS / ("%s.png" % name)))


def make_rpc(url, db):
    """``rpc(login, model, method, *args, **kwargs)`` on the Odoo at
    ``url``: an external JSON-RPC call, as any client would make it
    (password = login)."""

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
            url + "/jsonrpc", body, {"Content-Type": "application/json"}
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


@pytest.fixture
def rpc(odoo_url):
    """``rpc(login, model, method, *args, **kwargs)`` on the tests' Odoo."""
    return make_rpc(odoo_url, os.environ.get("LIVECHAT_TEST_DB", "livechat_browser"))


def customer_writes(
    rpc, external_id, body, name=None, chat="Customer Support", channel="telegram"
):
    """A customer's message through the way in, over RPC as a connector
    would send it; returns the stored message's id."""
    chat_ids = rpc("admin", "livechat.chat", "search", [("name", "=", chat)])
    account = {"external_id": external_id}
    if name:
        account["name"] = name
    return rpc(
        "admin",
        "livechat.test.gateway",
        "receive",
        chat_ids[0],
        channel,
        account,
        body,
    )


# Odoo as deployed (prefork): tests/browser/test_longpolling.py and
# bench/longpoll.py -------------------------------------------------------


def psql(db, sql):
    """Run ``sql`` on ``db``; its output, unaligned."""
    return subprocess.run(
        ["psql", "-d", db, "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def visitor_engine():
    """The website chat's token and channel functions (plain Python, no
    Odoo): a test or a bench signs its visitors' tokens as the server does."""
    import importlib.util

    path = ROOT / "livechat_channels" / "engine" / "visitor.py"
    spec = importlib.util.spec_from_file_location("livechat_visitor_engine", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cpu_ticks(pid):
    """The CPU time a process has used, in clock ticks."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def gevent_pid(server, timeout=60):
    """The pid of a prefork Odoo's long-polling (gevent) process."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
                with open("/proc/%s/cmdline" % entry, "rb") as cmdline:
                    args = cmdline.read().split(b"\0")
            except (OSError, ValueError, IndexError):
                continue
            if ppid == server.pid and b"gevent" in args:
                return int(entry)
        time.sleep(0.2)
    raise RuntimeError("Odoo started no long-polling process")
