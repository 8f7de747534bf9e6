"""Channels benchmark: Telegram webhooks into a prefork Odoo, against Odoo 11
im_livechat's visitor route (/mail/chat_post), same run, same database.

Odoo is started here with ``--workers=4`` (``--workers N`` to change it;
Odoo's guide is 2 x cores + 1 and this machine has 2 cores), nothing else
running. Both sides get the same load from concurrent loopback
clients (keep-alive HTTP):

* saturation: CLIENTS clients send as fast as they are answered, N requests
  each side; the rate is requests answered 200 per second, and every
  acknowledged message is counted in the database afterwards (nothing lost);
* latency at 50 updates/s for 20 s (ours): from the webhook sent to the
  operator's bus notification, i.e. the ``imbus`` NOTIFY that wakes the
  operators' long polls (this process LISTENs like Odoo's dispatcher and
  reads the new bus rows to match each message), and the HTTP answer time.

Messages come from 50 customers whose sessions are open (first messages
sent before measuring), like a busy hour. The last line is a JSON object.
Usage: .venv/bin/python bench/channels.py --db livechat_bench
"""

import argparse
import json
import queue
import re
import os
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid

import psycopg2
import requests


from ingest import in_transaction, setup_odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUSTOMERS = 50
CLIENTS = 8
SATURATION_N = 1500
RATE = 50
DURATION = 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(registry, tag):
    def work(env):
        team = env["res.groups"].create({"name": "Channels bench %s" % tag})
        operator = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Channels bench %s" % tag,
                    "login": "ch-bench-%s" % tag,
                    "livechat_status": "online",
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                env.ref("livechat_sessions.group_livechat_operator").id,
                                team.id,
                            ],
                        )
                    ],
                }
            )
        )
        chat = env["livechat.chat"].create(
            {
                "name": "Channels bench %s" % tag,
                "operator_group_ids": [(6, 0, team.ids)],
                "supervisor_group_ids": [(6, 0, team.ids)],
            }
        )
        connector = env["livechat.connector.telegram"].create(
            {
                "name": "Bench bot %s" % tag,
                "chat_id": chat.id,
                "bot_token": "0:bench",
                "api_url": "http://127.0.0.1:9",
                "fetch_avatars": False,
            }
        )
        # Connected without calling Telegram (setWebhook is not measured).
        connector.write({"state": "connected"})
        # The peer: im_livechat sessions (mail.channel of type livechat) with
        # the same operator, as /im_livechat/get_session creates them.
        channel = env["im_livechat.channel"].create(
            {"name": "Channels bench %s" % tag, "user_ids": [(6, 0, operator.ids)]}
        )
        uuids = []
        for n in range(CUSTOMERS):
            mail_channel = (
                env["mail.channel"]
                .with_context(mail_create_nosubscribe=False)
                .sudo()
                .create(
                    {
                        "name": "Visitor %d, %s" % (n, operator.name),
                        "channel_type": "livechat",
                        "public": "private",
                        "livechat_channel_id": channel.id,
                        "channel_partner_ids": [(4, operator.partner_id.id)],
                        "anonymous_name": "Visitor %d" % n,
                    }
                )
            )
            uuids.append(mail_channel.uuid)
        return {
            "chat": chat.id,
            "key": connector.webhook_key,
            # Telegram sends the bot's own secret back in a header: not the
            # address's key (which request logs show).
            "secret": connector.webhook_secret,
            "connector": connector.id,
            "uuids": uuids,
            "partner": operator.partner_id.id,
        }

    return in_transaction(registry, work)[0]


def start_odoo(db, port, workers):
    log = open(os.path.join(ROOT, "var", "bench-channels-odoo.log"), "w")
    server = subprocess.Popen(
        [
            os.path.join(ROOT, "scripts", "odoo"),
            "-d",
            db,
            "--db-filter=^%s$" % db,
            "--http-interface=127.0.0.1",
            "--http-port=%d" % port,
            "--longpolling-port=%d" % free_port(),
            "--workers=%d" % workers,
            "--max-cron-threads=0",
            "--log-level=warn",
            "--limit-time-real=600",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if requests.get("http://127.0.0.1:%d/web/login" % port, timeout=2).ok:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError("Odoo did not start; see var/bench-channels-odoo.log")


def stop_odoo(server):
    os.killpg(server.pid, signal.SIGINT)
    try:
        server.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


class Telegram(object):
    """Telegram-shaped updates for the bench's bot."""

    def __init__(self, base, key, secret, tag):
        self.url = "%s/livechat/telegram/%s" % (base, key)
        self.headers = {
            "Content-Type": "application/json",
            "X-Telegram-Bot-Api-Secret-Token": secret,
        }
        self.tag = tag
        self.next_id = 0
        self.lock = threading.Lock()

    def request(self, n, marker):
        with self.lock:
            self.next_id += 1
            update_id = self.next_id
        user = 900000000 + (n % CUSTOMERS)
        update = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "text": marker,
                "chat": {"id": user, "type": "private"},
                "from": {
                    "id": user,
                    "is_bot": False,
                    "first_name": "Bench %d" % (n % CUSTOMERS),
                },
            },
        }
        return self.url, json.dumps(update), self.headers


class ChatPost(object):
    """Odoo 11 im_livechat's visitor route, JSON-RPC."""

    def __init__(self, base, uuids):
        self.url = base + "/mail/chat_post"
        self.uuids = uuids
        self.headers = {"Content-Type": "application/json"}

    def request(self, n, marker):
        return (
            self.url,
            json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": n,
                    "params": {
                        "uuid": self.uuids[n % CUSTOMERS],
                        "message_content": marker,
                    },
                }
            ),
            self.headers,
        )


def ok(response):
    if response.status_code != 200:
        return False
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        return "error" not in body and body.get("ok", True) is not False
    return True


def saturate(target, total, tag):
    """CLIENTS clients, each sending as soon as it is answered."""
    counter = iter(range(total))
    lock = threading.Lock()
    acked, times = [], []

    def client():
        session = requests.Session()
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            marker = "%s-sat-%d" % (tag, n)
            url, body, headers = target.request(n, marker)
            start = time.perf_counter()
            response = session.post(url, data=body, headers=headers, timeout=60)
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if ok(response):
                    acked.append(marker)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {
        "rate": len(acked) / elapsed,
        "acked": acked,
        "sent": total,
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": sorted(times)[int(len(times) * 0.99) - 1] * 1000,
    }


def paced_with_notify_latency(target, dsn, partner, tag):
    """RATE updates/s for DURATION s; webhook sent -> imbus NOTIFY for the
    operator's channel carrying the message."""
    # Odoo 11's bus notifies on the "postgres" database, for every database:
    # its long-polling dispatcher listens there; so does this one.
    listen = psycopg2.connect("dbname=postgres")
    listen.autocommit = True
    listen.cursor().execute("LISTEN imbus")
    reader = psycopg2.connect(dsn)
    reader.autocommit = True
    cursor = reader.cursor()
    cursor.execute("SELECT coalesce(max(id), 0) FROM bus_bus")
    last = cursor.fetchone()[0]
    sent, seen, answers = {}, {}, []
    done = threading.Event()
    channel = json.dumps(
        [reader.get_dsn_parameters()["dbname"], "res.partner", partner],
        separators=(",", ":"),
    )

    def listener():
        nonlocal last
        while not done.is_set():
            if select.select([listen], [], [], 0.2) == ([], [], []):
                continue
            listen.poll()
            now = time.perf_counter()
            if not listen.notifies:
                continue
            del listen.notifies[:]
            cursor.execute(
                "SELECT id, message FROM bus_bus WHERE id > %s AND channel = %s",
                (last, channel),
            )
            for row_id, message in cursor.fetchall():
                last = max(last, row_id)
                body = json.loads(message).get("message", {}).get("body", "")
                found = re.search(r"\w+-pace-\d+\.", body)
                if found and found.group(0) not in seen:
                    seen[found.group(0)] = now

    thread = threading.Thread(target=listener)
    thread.start()
    total = RATE * DURATION
    lock = threading.Lock()

    def send(n, due, session):
        marker = "%s-pace-%d." % (tag, n)
        url, body, headers = target.request(n, marker)
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        # Latency counts from the planned send time: a client held up by a
        # slow server does not hide the wait.
        with lock:
            sent[marker] = due
        response = session.post(url, data=body, headers=headers, timeout=60)
        with lock:
            answers.append((time.perf_counter() - due, ok(response)))

    jobs = queue.Queue()

    def sender():
        session = requests.Session()
        while True:
            item = jobs.get()
            if item is None:
                return
            send(item[0], item[1], session)

    senders = [threading.Thread(target=sender) for _ in range(16)]
    begin = time.perf_counter() + 0.5
    for n in range(total):
        jobs.put((n, begin + n / RATE))
    for worker in senders:
        jobs.put(None)
        worker.start()
    for worker in senders:
        worker.join()
    time.sleep(2)
    done.set()
    thread.join()
    listen.close()
    reader.close()
    latencies = sorted((seen[m] - sent[m]) * 1000 for m in seen)
    http_times = sorted(t * 1000 for t, _ok in answers)
    return {
        "rate": RATE,
        "sent": total,
        "acked": sum(1 for _t, good in answers if good),
        "notified": len(latencies),
        "notify_p50_ms": statistics.median(latencies) if latencies else None,
        "notify_p99_ms": (
            latencies[int(len(latencies) * 0.99) - 1] if latencies else None
        ),
        "http_p50_ms": statistics.median(http_times),
        "http_p99_ms": http_times[int(len(http_times) * 0.99) - 1],
    }


def count_stored(registry, markers, ours):
    def work(env):
        table, column = (
            ("livechat_message", "body") if ours else ("mail_message", "body")
        )
        env.cr.execute(
            "SELECT %s FROM %s WHERE %s LIKE %%s" % (column, table, column),
            ("%%%s%%" % markers[0].rsplit("-", 1)[0],),
        )
        bodies = [row[0] for row in env.cr.fetchall()]
        stored = set()
        for body in bodies:
            for marker in markers:
                if marker in body:
                    stored.add(marker)
        return stored

    return in_transaction(registry, work)[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="livechat_bench")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    tag = uuid.uuid4().hex[:6]
    setup = prepare(registry, tag)
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    server = start_odoo(args.db, port, args.workers)
    try:
        ours = Telegram(base, setup["key"], setup["secret"], tag)
        peer = ChatPost(base, setup["uuids"])
        # First messages: open the 50 sessions, warm the workers.
        for n in range(CUSTOMERS):
            for target in (ours, peer):
                url, body, headers = target.request(n, "%s-warm-%d" % (tag, n))
                requests.post(url, data=body, headers=headers, timeout=60)
        rounds = []
        for round_no in range(2):
            # Interleaved: the machine's state is shared fairly.
            peer_result = saturate(peer, SATURATION_N, "%s-p%d" % (tag, round_no))
            our_result = saturate(ours, SATURATION_N, "%s-o%d" % (tag, round_no))
            rounds.append((our_result, peer_result))
            print(
                "round %d: ours %.1f req/s (p50 %.1f ms), peer %.1f req/s (p50 %.1f ms)"
                % (
                    round_no + 1,
                    our_result["rate"],
                    our_result["p50_ms"],
                    peer_result["rate"],
                    peer_result["p50_ms"],
                ),
                flush=True,
            )
        dsn = "dbname=%s" % args.db
        paced = paced_with_notify_latency(ours, dsn, setup["partner"], tag)
        print("paced %d/s: %s" % (RATE, paced), flush=True)
    finally:
        stop_odoo(server)
    lost_ours = sum(
        len(set(o["acked"]) - count_stored(registry, o["acked"], True))
        for o, _p in rounds
    )
    lost_peer = sum(
        len(set(p["acked"]) - count_stored(registry, p["acked"], False))
        for _o, p in rounds
    )
    ratios = [o["rate"] / p["rate"] for o, p in rounds]
    result = {
        "benchmark": "channels",
        "workers": args.workers,
        "clients": CLIENTS,
        "requests_per_round": SATURATION_N,
        "ours_rate": statistics.median([o["rate"] for o, _p in rounds]),
        "peer_rate": statistics.median([p["rate"] for _o, p in rounds]),
        "ratio_per_round": [round(r, 2) for r in ratios],
        "ratio_median": statistics.median(ratios),
        "ours_http_p50_ms": statistics.median([o["p50_ms"] for o, _p in rounds]),
        "peer_http_p50_ms": statistics.median([p["p50_ms"] for _o, p in rounds]),
        "ours_acked": sum(len(o["acked"]) for o, _p in rounds),
        "peer_acked": sum(len(p["acked"]) for _o, p in rounds),
        "ours_lost": lost_ours,
        "peer_lost": lost_peer,
        "paced": paced,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
