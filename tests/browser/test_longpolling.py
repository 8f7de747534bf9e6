"""Odoo's long-polling process as deployed (prefork workers and the gevent
process), with many website visitors arriving and woken at once.

No browser: the visitors are threads speaking HTTP, as the website chat's
script does, each from an address of its own (behind a proxy). The server
gets a pool of 8 database connections, so that 40 visitors are a crowd:
without the long-polling mending (livechat_sessions/engine/longpolling.py)
most of them got ``PoolError: The Connection Pool Is Full`` (HTTP 500).
bench/longpoll.py measures the same at 2,000 visitors.
"""

import json
import os
import socket
import threading
import time
import urllib.error
import urllib.request

from conftest import (
    ARTIFACTS,
    _stop,
    cpu_ticks,
    free_port,
    gevent_pid,
    psql,
    start_odoo,
    visitor_engine,
)

VISITORS = 40


def wait_listening(port, timeout=60):
    """Until the long-polling process accepts connections (it starts beside
    the workers, after the server has said it serves)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the long-polling process does not listen")


def poll(port, token, address, last=0):
    """One long poll: (status, JSON body, Set-Cookie header)."""
    request = urllib.request.Request(
        "http://127.0.0.1:%d/longpolling/livechat/visitor" % port,
        json.dumps({"token": token, "last": last}).encode(),
        {
            "Content-Type": "text/plain",
            "X-Forwarded-Host": "127.0.0.1:%d" % port,
            "X-Forwarded-For": address,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return (
                answer.status,
                json.loads(answer.read()),
                answer.headers["Set-Cookie"],
            )
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), None


def test_visitors_arriving_and_woken_together_all_get_their_reply(odoo_url):
    db = os.environ.get("LIVECHAT_TEST_DB", "livechat_browser")
    poll_port = free_port()
    server, _url = start_odoo(
        db,
        ARTIFACTS / "odoo-longpolling.log",
        [
            "--workers=2",
            "--max-cron-threads=0",
            "--longpolling-port=%d" % poll_port,
            "--db_maxconn=8",
            "--proxy-mode",
        ],
        env=dict(os.environ),
    )
    try:
        pid = gevent_pid(server)
        engine = visitor_engine()
        secret = psql(
            db, "SELECT value FROM ir_config_parameter WHERE key = 'database.secret'"
        )
        run = "%x" % int(time.time() * 1000)
        tokens = [engine.new_token(secret) for _i in range(VISITORS)]
        # Addresses of this run only: the rate limit's rows show who waits.
        addresses = ["fd00::%s:%x" % (run[-4:], i) for i in range(VISITORS)]
        # The long-polling process loads the database on its first request.
        wait_listening(poll_port)
        assert poll(poll_port, "bad", "fd00::1")[0] == 400
        answers = [None] * VISITORS

        def wait(index):
            answers[index] = poll(poll_port, tokens[index], addresses[index])

        threads = [
            threading.Thread(target=wait, args=(i,), daemon=True)
            for i in range(VISITORS)
        ]
        for thread in threads:
            thread.start()
        # Every visitor is waiting once each has been counted by the rate
        # limit (before its first read) and the process has gone idle.
        deadline = time.time() + 60
        keys = ",".join("'poll:%s'" % address for address in addresses)
        while time.time() < deadline:
            early = [a for a in answers if a is not None]
            assert not early, "%d polls ended before any reply: %s" % (
                len(early),
                early[:3],
            )
            counted = int(
                psql(
                    db,
                    "SELECT count(*) FROM livechat_visitor_rate WHERE key IN (%s)"
                    % keys,
                )
            )
            if counted == VISITORS:
                before = cpu_ticks(pid)
                time.sleep(0.5)
                if cpu_ticks(pid) == before:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the visitors' polls were not all waiting")
        # One transaction writes a reply for each of them and wakes them all.
        channels = [
            json.dumps(engine.bus_channel(secret, engine.account_id(token)))
            for token in tokens
        ]
        rows = ",".join(
            "('%s', '%s', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')"
            % (channel, json.dumps({"reply": "%s-%d" % (run, i)}))
            for i, channel in enumerate(channels)
        )
        psql(
            db,
            "INSERT INTO bus_bus (channel, message, create_date, write_date) VALUES "
            + rows,
        )
        psql("postgres", "NOTIFY imbus, '[%s]'" % ",".join(channels))
        for thread in threads:
            thread.join(timeout=60)
        failed = [a for a in answers if a is None or a[0] != 200]
        assert not failed, "%d of %d failed: %s" % (len(failed), VISITORS, failed[:3])
        for index, (_status, body, cookie) in enumerate(answers):
            assert [n["message"] for n in body["notifications"]] == [
                {"reply": "%s-%d" % (run, index)}
            ]
            # Answered before Odoo's dispatcher: no session (file) per poll.
            assert cookie is None
    finally:
        _stop(server)
