"""Long-polling benchmark: how many waiting clients one Odoo server holds,
against Odoo 11 im_livechat doing the same in the same run.

Each side runs its own Odoo in prefork mode (``--workers=2``, the gevent
long-polling process on its own port, ``--proxy-mode``, Odoo's default
``db_maxconn`` of 64) on its own database: ours with the project's addons
(``--db``), the peer with Odoo 11's im_livechat alone (``--peer-db``), so
that the peer is Odoo's long polling as it ships. The clients are one
asyncio program on loopback speaking HTTP/1.1 itself (one connection per
waiting client, as browsers hold them); every website visitor comes from
an address of its own (``X-Forwarded-For``, as behind a proxy).

Steps, on each side in turn:

1. 100 operators (logged in) wait on Odoo's bus (``/longpolling/poll``).
2. ``N`` website visitors wait (ours: ``/longpolling/livechat/visitor``;
   the peer: ``/longpolling/poll`` on their im_livechat channel's uuid),
   for each N of ``--visitors`` (500 and 2,000 by default). Four operators
   answer 200 of them (ours: ``livechat.conversation.reply``; the peer:
   ``mail.channel.message_post``) as fast as the server lets them; measured:
   the time from each reply's commit (when PostgreSQL delivers its
   ``NOTIFY imbus`` to a listener of the bench's) until its visitor has it,
   and from its RPC being sent, errors (HTTP status other than 200, broken
   connections), replies never received, the database connections open
   (PostgreSQL's ``pg_stat_activity``) and the long-polling process's
   memory while they wait.
3. With the largest N waiting, 500 of them are woken in the same instant:
   one transaction writes a notification for each of them and notifies the
   bus (what a burst of replies or a reconnect storm does to the long-polling
   process). Measured: errors, notifications lost, time to each visitor.
4. A team of 500 operators, each waiting on the bus, gets one customer
   message (ours: a website visitor writes into the team's chat, which tells
   every operator; the peer: a message in a Discuss channel of 500 members).
   Measured: the time from the message's commit until each operator has it.

Users (500 per database) are created on the first run and kept.

Usage: .venv-tools/bin/python bench/longpoll.py --db livechat_bench
       --peer-db livechat_bench_peer   (last line: a JSON object)
"""

import argparse
import asyncio
import json
import os
import re
import resource
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from conftest import (  # noqa: E402
    _stop,
    cpu_ticks,
    free_port,
    gevent_pid,
    psql,
    start_odoo,
    visitor_engine,
)

OPERATORS = 100
TEAM = 500
ANSWERED = 200
REPLIERS = 4
STORM = 500
#: Waiting clients opened at once, then a short pause: the server's listen
#: backlog is not what is measured.
OPEN_BATCH = 100
#: Odoo's long-polling timeout (seconds).
POLL_TIMEOUT = 50
#: Seconds a reply may take to reach its visitor before it counts as lost.
LOST_AFTER = 30


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


# A minimal HTTP/1.1 client -------------------------------------------------


async def post(port, path, payload, cookie=None, forwarded=None, timeout=80):
    """POST ``payload`` as JSON; (status, decoded JSON or None, cookie).
    Status 0: the connection broke or timed out."""
    data = json.dumps(payload).encode()
    head = [
        "POST %s HTTP/1.1" % path,
        "Host: 127.0.0.1:%d" % port,
        "Content-Type: application/json",
        "Content-Length: %d" % len(data),
        "Connection: close",
    ]
    if cookie:
        head.append("Cookie: session_id=%s" % cookie)
    if forwarded:
        # Odoo's --proxy-mode reads X-Forwarded-For only with this one.
        head.append("X-Forwarded-Host: 127.0.0.1:%d" % port)
        head.append("X-Forwarded-For: %s" % forwarded)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return 0, None, None
    try:
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + data)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, asyncio.TimeoutError):
        return 0, None, None
    finally:
        writer.close()
    header, _sep, body = raw.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, None, None
    headers = [line.partition(":") for line in lines[1:]]
    new_cookie = None
    chunked = False
    for name, _colon, value in headers:
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie" and value.startswith("session_id="):
            new_cookie = value.split(";")[0].split("=", 1)[1]
        if name == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        body = _dechunk(body)
    try:
        return status, json.loads(body.decode()), new_cookie
    except ValueError:
        return status, None, new_cookie


def _dechunk(body):
    out = b""
    while body:
        size, _sep, rest = body.partition(b"\r\n")
        length = int(size.split(b";")[0], 16)
        if not length:
            break
        out += rest[:length]
        body = rest[length + 2 :]
    return out


async def rpc(port, path, params, cookie=None):
    status, data, new_cookie = await post(
        port, path, {"jsonrpc": "2.0", "method": "call", "params": params}, cookie
    )
    if status != 200 or not data or "error" in data:
        raise RuntimeError("%s answered %s: %s" % (path, status, data))
    return data["result"], new_cookie


MARKER = re.compile(r"LPB-[0-9a-f]+-[a-z0-9]+-\d+")


class Waiter(object):
    """One waiting client: polls again and again until stopped, and notes
    when each marked notification arrives."""

    def __init__(self, port, body, result, cookie=None, forwarded=None, path=None):
        self.port, self.cookie, self.forwarded = port, cookie, forwarded
        self.body, self.result = body, result  # functions of ``last``
        self.path = path
        self.received = {}
        self.errors = []
        self.answers = 0
        self.task = None
        self.sent_at = 0

    async def run(self):
        last = 0
        while True:
            self.sent_at = time.time()
            status, data, _cookie = await post(
                self.port, self.path, self.body(last), self.cookie, self.forwarded
            )
            now = time.time()
            notifications = self.result(data) if status == 200 else None
            if notifications is None:
                self.errors.append(status)
                await asyncio.sleep(1)
                continue
            self.answers += 1
            for item in notifications:
                if item.get("id", 0) > last:
                    last = item["id"]
                for marker in MARKER.findall(json.dumps(item.get("message"))):
                    self.received.setdefault(marker, now)

    def start(self):
        self.task = asyncio.ensure_future(self.run())


async def open_waiters(waiters):
    for start in range(0, len(waiters), OPEN_BATCH):
        for waiter in waiters[start : start + OPEN_BATCH]:
            waiter.start()
        await asyncio.sleep(0.2)
    # Each has sent its request; the server parks it.
    await asyncio.sleep(3)


async def settle(waiters, pid, timeout=180):
    """Wait until every client waits: the server has answered the immediate
    polls (a first poll returns at once with what the bus had for it) and
    its long-polling process has gone idle (polls queued for a database
    connection give no answer until they are served). False when it did
    not within ``timeout`` (clients whose polls keep failing poll again)."""
    deadline = time.time() + timeout
    seen = -1
    while time.time() < deadline:
        answers = sum(w.answers + len(w.errors) for w in waiters)
        ticks = cpu_ticks(pid)
        await asyncio.sleep(1.0)
        # At most 20 ms of work in that second (its watchdog, a few polls).
        if answers == seen and cpu_ticks(pid) - ticks <= 2:
            return True
        seen = answers
    return False


async def close_waiters(waiters, pid):
    """Stop the clients, then wait until the server is done with them: it
    notices a client gone only when its poll times out (50 s), and each
    then reads the bus once more, which the next step must not pay."""
    for waiter in waiters:
        waiter.task.cancel()
    await asyncio.gather(*(w.task for w in waiters), return_exceptions=True)
    last = max((w.sent_at for w in waiters), default=0)
    await asyncio.sleep(max(0.0, last + POLL_TIMEOUT + 2 - time.time()))
    await settle([], pid)


def forwarded(index):
    return "10.%d.%d.%d" % (index // 65536 % 256, index // 256 % 256, index % 256)


# Measures of the server ----------------------------------------------------

#: Run by Odoo's Python (psycopg2): prints the time each channel is woken.
LISTENER = """
import json, select, sys, time, psycopg2
connection = psycopg2.connect(dbname="postgres")
connection.autocommit = True
connection.cursor().execute("LISTEN imbus")
print("ready", flush=True)
while True:
    if select.select([connection], [], [], 5) != ([], [], []):
        connection.poll()
        now = time.time()
        while connection.notifies:
            payload = connection.notifies.pop(0).payload
            for channel in json.loads(payload):
                print(now, json.dumps(channel, separators=(",", ":")), flush=True)
"""


class Commits(object):
    """When each channel's wake-up was sent: PostgreSQL delivers a NOTIFY
    when its transaction commits, so this is the commit's time (within the
    listener's few milliseconds)."""

    def __init__(self):
        self.times = {}  # channel JSON -> [times]
        self.process = None
        self.task = None

    async def start(self):
        self.process = await asyncio.create_subprocess_exec(
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            LISTENER,
            stdout=asyncio.subprocess.PIPE,
        )
        assert (await self.process.stdout.readline()).strip() == b"ready"
        self.task = asyncio.ensure_future(self._read())

    async def _read(self):
        while True:
            line = await self.process.stdout.readline()
            if not line:
                return
            at, channel = line.decode().rstrip("\n").split(" ", 1)
            self.times.setdefault(channel, []).append(float(at))

    def first_after(self, channel, after):
        """The first wake-up of ``channel`` (its JSON) after ``after``."""
        return min((t for t in self.times.get(channel, ()) if t >= after), default=None)

    def stop(self):
        self.task.cancel()
        self.process.kill()


class Sampler(object):
    """Samples, every 0.25 s, the database's open connections and the
    long-polling process's memory."""

    def __init__(self, db, gevent_pid):
        self.db, self.pid = db, gevent_pid
        self.connections, self.rss, self.vms = [], [], []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            count = psql(
                "postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % self.db,
            )
            self.connections.append(int(count))
            self.rss.append(memory_mb(self.pid))
            self.vms.append(memory_mb(self.pid, "VmSize:"))
            self._stop.wait(0.25)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def memory_mb(pid, field="VmRSS:"):
    """The process's resident memory (``VmSize:``: its virtual size, which
    Odoo compares with ``limit_memory_soft``), in MB."""
    try:
        with open("/proc/%d/status" % pid) as status:
            for line in status:
                if line.startswith(field):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return 0.0


# The two sides -------------------------------------------------------------


class Side(object):
    """What differs between ours and the peer; the steps are shared."""

    name = None

    def __init__(self, db, http_port, poll_port, run):
        self.db, self.http, self.poll = db, http_port, poll_port
        self.run = run
        self.cookies = {}

    # Users, created once per database.
    def ensure_users(self, admin):
        raise NotImplementedError

    async def login(self, logins):
        semaphore = asyncio.Semaphore(4)

        async def one(login):
            async with semaphore:
                _result, cookie = await rpc(
                    self.http,
                    "/web/session/authenticate",
                    {"db": self.db, "login": login, "password": login},
                )
                self.cookies[login] = cookie

        await asyncio.gather(
            *(one(login) for login in logins if login not in self.cookies)
        )

    def operator(self, login):
        """A logged-in user waiting on Odoo's bus (presence kept up: the
        peer's visitors get an operator only while one is online)."""
        return Waiter(
            self.poll,
            lambda last: {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "channels": [],
                    "last": last,
                    "options": {"bus_inactivity": 0},
                },
            },
            lambda data: (data or {}).get("result"),
            cookie=self.cookies[login],
            path="/longpolling/poll",
        )

    async def call(self, login, model, method, args, kwargs=None):
        result, _cookie = await rpc(
            self.http,
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            self.cookies[login],
        )
        return result


def logins(prefix, count):
    return ["%s-%d" % (prefix, index) for index in range(count)]


def ensure_users(side, prefix, count, groups):
    """Create the users ``prefix-<n>`` missing from the database (password =
    login), through one XML-RPC connection as admin."""
    import xmlrpc.client

    url = "http://127.0.0.1:%d" % side.http
    uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
        side.db, "admin", "admin", {}
    )
    models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kwargs):
        return models.execute_kw(
            side.db, uid, "admin", model, method, list(args), kwargs
        )

    wanted = logins(prefix, count)
    existing = set(
        row["login"]
        for row in call(
            "res.users", "search_read", [("login", "in", wanted)], fields=["login"]
        )
    )
    for login in wanted:
        if login not in existing:
            call(
                "res.users",
                "create",
                dict(
                    {"name": "Long-poll %s" % login, "login": login, "password": login},
                    **groups,
                ),
            )
    return call


class Ours(Side):
    name = "ours"

    def setup(self):
        call_admin = ensure_users(self, "lpb", TEAM, {})
        operator_group = call_admin(
            "ir.model.data",
            "xmlid_to_res_id",
            "livechat_sessions.group_livechat_operator",
        )

        def group(name, members):
            found = call_admin("res.groups", "search", [("name", "=", name)])
            users = call_admin("res.users", "search", [("login", "in", members)])
            values = {"name": name, "users": [(6, 0, users)]}
            if found:
                call_admin("res.groups", "write", found, values)
                return found[0]
            return call_admin("res.groups", "create", values)

        everyone = logins("lpb", TEAM)
        call_admin(
            "res.groups",
            "write",
            [operator_group],
            {
                "users": [
                    (4, uid)
                    for uid in call_admin(
                        "res.users", "search", [("login", "in", everyone)]
                    )
                ]
            },
        )
        call_admin(
            "res.users",
            "write",
            call_admin("res.users", "search", [("login", "in", everyone)]),
            {"livechat_status": "online"},
        )
        repliers = group("Long-poll repliers", everyone[:REPLIERS])
        team = group("Long-poll team", everyone)

        def chat(name, group_id):
            found = call_admin("livechat.chat", "search", [("name", "=", name)])
            values = {
                "name": name,
                "operator_group_ids": [(6, 0, [group_id])],
                "website_enabled": True,
            }
            if found:
                call_admin("livechat.chat", "write", found, values)
                chat_id = found[0]
            else:
                chat_id = call_admin("livechat.chat", "create", values)
            return call_admin("livechat.chat", "read", [chat_id], ["website_key"])[0][
                "website_key"
            ]

        self.answered_key = chat("Long-poll answered", repliers)
        self.team_key = chat("Long-poll team", team)
        self.secret = psql(
            self.db,
            "SELECT value FROM ir_config_parameter WHERE key = 'database.secret'",
        )
        self.engine = visitor_engine()

    def visitor(self, index, token):
        return Waiter(
            self.poll,
            lambda last: {"token": token, "last": last},
            lambda data: (data or {}).get("notifications"),
            forwarded=forwarded(index),
            path="/longpolling/livechat/visitor",
        )

    async def visitors(self, count, answered):
        """``count`` waiting visitors; the first ``answered`` have written
        into the answered chat. Returns the waiters and a function that
        answers visitor ``i`` as operator ``login``."""
        tokens = [self.engine.new_token(self.secret) for _i in range(count)]
        sessions = {}
        semaphore = asyncio.Semaphore(4)

        async def write(index):
            async with semaphore:
                status, data, _c = await post(
                    self.http,
                    "/livechat/visitor/post",
                    {
                        "key": self.answered_key,
                        "token": tokens[index],
                        "client_id": str(uuid.uuid4()),
                        "body": "Hello %d" % index,
                    },
                    forwarded=forwarded(100000 + index),
                )
                if status != 200:
                    raise RuntimeError("visitor post: %s %s" % (status, data))

        await asyncio.gather(*(write(index) for index in range(answered)))
        account_ids = [self.engine.account_id(tokens[i]) for i in range(answered)]
        rows = (
            ""
            if not answered
            else psql(
                self.db,
                "SELECT a.external_id, s.id, coalesce(u.login, '') "
                "FROM livechat_session s "
                "JOIN livechat_account a ON a.id = s.account_id "
                "LEFT JOIN res_users u ON u.id = s.operator_id "
                "WHERE a.external_id IN (%s) AND s.state IN ('queued', 'active')"
                % ",".join("'%s'" % a for a in account_ids),
            )
        )
        by_account = {}
        for line in rows.splitlines():
            account, session_id, operator = line.split("|")
            by_account[account] = (int(session_id), operator)
        for index, account in enumerate(account_ids):
            sessions[index] = by_account[account]

        async def answer(login, index, marker):
            session_id, operator = sessions[index]
            # Routing may have given the session to one of the repliers.
            await self.call(
                operator or login,
                "livechat.conversation",
                "reply",
                [session_id, "Answer %s" % marker],
            )

        self.channels = [
            json.dumps(self.engine.bus_channel(self.secret, self.engine.account_id(t)))
            for t in tokens
        ]
        return [self.visitor(i, t) for i, t in enumerate(tokens)], answer

    async def team_message(self, marker):
        token = self.engine.new_token(self.secret)
        status, data, _c = await post(
            self.http,
            "/livechat/visitor/post",
            {
                "key": self.team_key,
                "token": token,
                "client_id": str(uuid.uuid4()),
                "body": "Team %s" % marker,
            },
            forwarded=forwarded(200000 + int(marker.rsplit("-", 1)[1])),
        )
        if status != 200:
            raise RuntimeError("team post: %s %s" % (status, data))


class Peer(Side):
    name = "peer"

    def setup(self):
        call_admin = ensure_users(self, "lpb", TEAM, {})
        everyone = logins("lpb", TEAM)
        users = call_admin("res.users", "search", [("login", "in", everyone)])
        repliers = call_admin(
            "res.users", "search", [("login", "in", everyone[:REPLIERS])]
        )
        found = call_admin(
            "im_livechat.channel", "search", [("name", "=", "Long-poll answered")]
        )
        if found:
            self.livechat = found[0]
        else:
            self.livechat = call_admin(
                "im_livechat.channel",
                "create",
                {"name": "Long-poll answered", "user_ids": [(6, 0, repliers)]},
            )
        partners = [
            row["partner_id"][0]
            for row in call_admin("res.users", "read", users, ["partner_id"])
        ]
        found = call_admin("mail.channel", "search", [("name", "=", "Long-poll team")])
        values = {
            "name": "Long-poll team",
            "public": "private",
            "channel_partner_ids": [(6, 0, partners)],
        }
        if found:
            call_admin("mail.channel", "write", found, values)
            self.team_channel = found[0]
        else:
            self.team_channel = call_admin("mail.channel", "create", values)
        self.partner_login = {}
        for user in call_admin("res.users", "read", repliers, ["partner_id", "login"]):
            self.partner_login[user["partner_id"][0]] = user["login"]

    def visitor(self, index, channel_uuid):
        return Waiter(
            self.poll,
            lambda last: {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"channels": [channel_uuid], "last": last, "options": {}},
            },
            lambda data: (data or {}).get("result"),
            forwarded=forwarded(index),
            path="/longpolling/poll",
        )

    async def visitors(self, count, answered):
        sessions = {}
        semaphore = asyncio.Semaphore(4)

        async def start(index):
            async with semaphore:
                for _attempt in range(30):
                    status, data, _c = await post(
                        self.http,
                        "/im_livechat/get_session",
                        {
                            "jsonrpc": "2.0",
                            "method": "call",
                            "params": {
                                "channel_id": self.livechat,
                                "anonymous_name": "Visitor %d" % index,
                            },
                        },
                    )
                    session = (data or {}).get("result")
                    if status == 200 and session:
                        sessions[index] = session
                        return
                    # No operator online yet: their polls update presence.
                    await asyncio.sleep(1)
                raise RuntimeError("im_livechat gave no session: %s" % data)

        await asyncio.gather(*(start(index) for index in range(answered)))
        uuids = [sessions[i]["uuid"] for i in range(answered)] + [
            str(uuid.uuid4()) for _i in range(count - answered)
        ]

        async def answer(_login, index, marker):
            session = sessions[index]
            login = self.partner_login[session["operator_pid"][0]]
            await self.call(
                login,
                "mail.channel",
                "message_post",
                [[session["id"]]],
                {
                    "body": "Answer %s" % marker,
                    "message_type": "comment",
                    "subtype": "mail.mt_comment",
                    # The bench's users have no email address of their own.
                    "email_from": "%s@example.com" % login,
                },
            )

        self.channels = [json.dumps(u) for u in uuids]
        return [self.visitor(i, u) for i, u in enumerate(uuids)], answer

    async def team_message(self, marker):
        await self.call(
            "lpb-0",
            "mail.channel",
            "message_post",
            [[self.team_channel]],
            {
                "body": "Team %s" % marker,
                "message_type": "comment",
                "subtype": "mail.mt_comment",
                "email_from": "lpb-0@example.com",
            },
        )


# The steps -----------------------------------------------------------------


async def hold_and_answer(side, count, gevent_pid, commits):
    waiters, answer = await side.visitors(count, ANSWERED)
    rss_before = memory_mb(gevent_pid)
    with Sampler(side.db, gevent_pid) as sampler:
        await open_waiters(waiters)
        settled = await settle(waiters, gevent_pid)
        rss_waiting = memory_mb(gevent_pid)
        sent = {}
        queue = list(range(ANSWERED))

        async def replier(login):
            while queue:
                index = queue.pop(0)
                marker = "LPB-%s-a%d-%d" % (side.run, count, index)
                sent[index] = time.time()
                await answer(login, index, marker)

        started = time.time()
        await asyncio.gather(*(replier("lpb-%d" % n) for n in range(REPLIERS)))
        answering = time.time() - started
        deadline = time.time() + LOST_AFTER
        markers = {i: "LPB-%s-a%d-%d" % (side.run, count, i) for i in range(ANSWERED)}
        while time.time() < deadline and not all(
            markers[i] in waiters[i].received for i in range(ANSWERED)
        ):
            await asyncio.sleep(0.2)
    received = {
        i: waiters[i].received[markers[i]]
        for i in range(ANSWERED)
        if markers[i] in waiters[i].received
    }
    errors = sum(len(w.errors) for w in waiters)
    await close_waiters(waiters, gevent_pid)
    from_sent = [received[i] - sent[i] for i in received]
    committed = {i: commits.first_after(side.channels[i], sent[i]) for i in received}
    from_commit = [received[i] - committed[i] for i in received if committed[i]]
    return {
        "visitors": count,
        "replies": ANSWERED,
        "settled": settled,
        "replies_per_second": round(ANSWERED / answering, 1),
        "p50_s": percentile(from_commit, 0.5),
        "p99_s": percentile(from_commit, 0.99),
        "commits_seen": len(from_commit),
        "p50_from_rpc_sent_s": percentile(from_sent, 0.5),
        "p99_from_rpc_sent_s": percentile(from_sent, 0.99),
        "lost": ANSWERED - len(received),
        "errors": errors,
        "db_connections_max": max(sampler.connections or [0]),
        "longpolling_rss_mb": {
            "before": rss_before,
            "waiting": rss_waiting,
            "max": max(sampler.rss or [0]),
            "virtual_max": max(sampler.vms or [0]),
        },
    }


async def storm(side, count, gevent_pid):
    """``count`` visitors waiting, STORM of them woken by one transaction."""
    size = min(STORM, count)
    waiters, _answer = await side.visitors(count, 0)
    await open_waiters(waiters)
    settled = await settle(waiters, gevent_pid)
    marker = "LPB-%s-storm" % side.run
    values = ",".join(
        "(%s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')"
        % (
            _sql_text(side.channels[i]),
            _sql_text(json.dumps({"type": "bench", "body": "%s-%d" % (marker, i)})),
        )
        for i in range(size)
    )
    psql(
        side.db,
        "INSERT INTO bus_bus (channel, message, create_date, write_date) VALUES "
        + values,
    )
    # The wake-up, in parts under PostgreSQL's 8,000 bytes, in one commit.
    parts, part = [], []
    for channel in side.channels[:size]:
        part.append(channel)
        if len(",".join(part)) > 7000:
            parts.append("[%s]" % ",".join(part))
            part = []
    if part:
        parts.append("[%s]" % ",".join(part))
    answers_before = sum(w.answers for w in waiters[:size])
    with Sampler(side.db, gevent_pid) as sampler:
        woken = time.time()
        psql(
            "postgres",
            "BEGIN; %s COMMIT;"
            % " ".join("NOTIFY imbus, %s;" % _sql_text(p) for p in parts),
        )
        deadline = time.time() + LOST_AFTER
        wanted = ["%s-%d" % (marker, i) for i in range(size)]
        while time.time() < deadline and not all(
            wanted[i] in waiters[i].received for i in range(size)
        ):
            await asyncio.sleep(0.1)
    times = [
        waiters[i].received[wanted[i]] - woken
        for i in range(size)
        if wanted[i] in waiters[i].received
    ]
    errors = sum(len(w.errors) for w in waiters)
    # An answer without the notification is a wake-up lost (the client polls
    # again and gets it late).
    empty = sum(w.answers for w in waiters[:size]) - answers_before - len(times)
    await close_waiters(waiters, gevent_pid)
    return {
        "visitors": count,
        "woken": size,
        "settled": settled,
        "received": len(times),
        "within_1s": sum(1 for t in times if t <= 1.0),
        "p50_s": percentile(times, 0.5),
        "p99_s": percentile(times, 0.99),
        "errors": errors,
        "empty_answers": max(0, empty),
        "db_connections_max": max(sampler.connections or [0]),
    }


def _sql_text(value):
    return "'%s'" % value.replace("'", "''")


async def team(side, gevent_pid, commits):
    """TEAM operators waiting on the bus, one customer message."""
    everyone = logins("lpb", TEAM)
    await side.login(everyone)
    waiters = [side.operator(login) for login in everyone]
    await open_waiters(waiters)
    settled = await settle(waiters, gevent_pid)
    marker = "LPB-%s-team-1" % side.run
    sent = time.time()
    await side.team_message(marker)
    returned = time.time()
    deadline = time.time() + LOST_AFTER
    while time.time() < deadline and not all(marker in w.received for w in waiters):
        await asyncio.sleep(0.1)
    # The commit: the first wake-up sent after the message, on any channel.
    committed = min(
        (t for times in commits.times.values() for t in times if t >= sent),
        default=sent,
    )
    times = [w.received[marker] - committed for w in waiters if marker in w.received]
    errors = sum(len(w.errors) for w in waiters)
    await close_waiters(waiters, gevent_pid)
    return {
        "operators": TEAM,
        "settled": settled,
        "commit_after_sent_s": round(committed - sent, 3),
        "received": len(times),
        "within_1s": sum(1 for t in times if t <= 1.0),
        "p50_s": percentile(times, 0.5),
        "p99_s": percentile(times, 0.99),
        "max_s": round(max(times), 3) if times else None,
        "post_rpc_s": round(returned - sent, 3),
        "errors": errors,
    }


async def run_side(side, counts, gevent_pid, steps=("team", "visitors")):
    """The team first (on a quiet server), then the visitors with the 100
    operators waiting, then the storm."""
    side.setup()
    commits = Commits()
    await commits.start()
    result = {}
    if "team" in steps:
        result["team"] = await team(side, gevent_pid, commits)
        print(side.name, "team", result["team"], flush=True)
    if "visitors" not in steps:
        commits.stop()
        return result
    everyone = logins("lpb", TEAM)
    operators = [side.operator(login) for login in everyone[:OPERATORS]]
    await open_waiters(operators)
    await settle(operators, gevent_pid)
    result["hold"] = []
    for count in counts:
        result["hold"].append(await hold_and_answer(side, count, gevent_pid, commits))
        print(side.name, result["hold"][-1], flush=True)
    result["storm"] = await storm(side, max(counts), gevent_pid)
    print(side.name, "storm", result["storm"], flush=True)
    result["operator_errors"] = sum(len(w.errors) for w in operators)
    await close_waiters(operators, gevent_pid)
    commits.stop()
    return result


def serve(db, log, ours):
    """Odoo as the README's deployment runs it (ours with queue_job's
    runner, which delivers the replies to the website visitors)."""
    poll_port = free_port()
    server, url = start_odoo(
        db,
        log,
        (["--load=web,queue_job"] if ours else [])
        + [
            "--workers=2",
            "--max-cron-threads=0",
            "--longpolling-port=%d" % poll_port,
            "--proxy-mode",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
        ],
        env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:2,root.livechat:1"),
    )
    return server, int(url.rsplit(":", 1)[1]), poll_port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="livechat_bench")
    parser.add_argument("--peer-db", default="livechat_bench_peer")
    parser.add_argument("--visitors", default="500,2000")
    parser.add_argument("--sides", default="ours,peer")
    parser.add_argument(
        "--steps", default="team,visitors", help="team, visitors (with the storm)"
    )
    args = parser.parse_args()
    # One socket per waiting client, here and in Odoo (which inherits it).
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    counts = [int(n) for n in args.visitors.split(",")]
    run = uuid.uuid4().hex[:6]
    result = {"open_files_limit": hard}
    for name in args.sides.split(","):
        db = args.db if name == "ours" else args.peer_db
        log = ROOT / "var" / ("bench-longpoll-%s-odoo.log" % name)
        log.parent.mkdir(exist_ok=True)
        server, http_port, poll_port = serve(db, log, name == "ours")
        try:
            side = (Ours if name == "ours" else Peer)(db, http_port, poll_port, run)
            pid = gevent_pid(server)
            # The long-polling process loads the registry on its first poll.
            asyncio.run(
                post(
                    poll_port,
                    "/longpolling/poll",
                    {"params": {"channels": [], "last": 0, "options": {"peek": True}}},
                )
            )
            result[name] = asyncio.run(
                run_side(side, counts, pid, args.steps.split(","))
            )
        finally:
            _stop(server)
    figures = {"open_files_limit": hard}
    for name in args.sides.split(","):
        side = result[name]
        for row in side.get("hold", ()):
            prefix = "%s_%d_visitors_" % (name, row["visitors"])
            for key in ("p50_s", "p99_s", "lost", "errors", "db_connections_max"):
                figures[prefix + key] = row[key]
            figures[prefix + "longpolling_rss_mb"] = row["longpolling_rss_mb"]["max"]
        for key in ("received", "p99_s", "errors", "empty_answers"):
            if "storm" in side:
                figures["%s_storm_%s" % (name, key)] = side["storm"][key]
        for key in ("received", "within_1s", "p50_s", "p99_s", "max_s", "errors"):
            if "team" in side:
                figures["%s_team_%s" % (name, key)] = side["team"][key]
        if "operator_errors" in side:
            figures["%s_operator_errors" % name] = side["operator_errors"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
