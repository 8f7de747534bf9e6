"""Cluster benchmark: Telegram webhooks through nginx into one and into two
Odoo servers (scripts/cluster.sh: each prefork with 2 workers), same run,
same database, same machine; and server a alone without nginx, which is
what the proxy costs.

For each setup, as bench/channels.py measures one server:

* saturation: 8 keep-alive clients send as fast as they are answered,
  1,500 webhooks per round, 2 rounds, setups interleaved; every acknowledged
  message is counted in the database afterwards;
* paced at 50 webhooks/s for 20 s: the HTTP answer's time and the time from
  the webhook sent to the operator's bus notification (the ``imbus``
  NOTIFY, which reaches every server's long-polling process);
* where the time goes: the CPU seconds that nginx, the Odoo processes and
  PostgreSQL spent per 1,000 webhooks during saturation (from /proc), and
  the machine's idle share.

The last line is a JSON object.
Usage: .venv/bin/python bench/cluster.py --db livechat_bench
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

import requests

from channels import (
    CUSTOMERS,
    SATURATION_N,
    Telegram,
    count_stored,
    free_port,
    paced_with_notify_latency,
    prepare,
    saturate,
)
from ingest import setup_odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUNDS = 2


class Cluster(object):
    """scripts/cluster.sh with ``servers`` ("a" or "a b") on free ports."""

    def __init__(self, db, servers):
        self.db = db
        self.folder = os.path.join(
            ROOT, "var", "bench-cluster", servers.replace(" ", "")
        )
        self.port = free_port()
        self.ports = {
            "LIVECHAT_CLUSTER_A_HTTP": free_port(),
            "LIVECHAT_CLUSTER_A_POLL": free_port(),
            "LIVECHAT_CLUSTER_B_HTTP": free_port(),
            "LIVECHAT_CLUSTER_B_POLL": free_port(),
        }
        self.env = dict(
            os.environ,
            LIVECHAT_CLUSTER_DIR=self.folder,
            LIVECHAT_CLUSTER_PORT=str(self.port),
            LIVECHAT_CLUSTER_SERVERS=servers,
            LIVECHAT_CLUSTER_LOG_LEVEL="warn",
            **{key: str(value) for key, value in self.ports.items()},
        )
        self.url = "http://127.0.0.1:%d" % self.port
        self.direct = "http://127.0.0.1:%d" % self.ports["LIVECHAT_CLUSTER_A_HTTP"]

    def run(self, *args):
        subprocess.run(
            ["bash", os.path.join(ROOT, "scripts", "cluster.sh")] + list(args),
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def cpu_by_part():
    """CPU seconds used so far by nginx, Odoo and PostgreSQL processes, and
    the machine's idle seconds (all cores)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parts = {"nginx": 0, "odoo": 0, "postgresql": 0}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ")
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used = int(fields[11]) + int(fields[12])
        if command.startswith(b"nginx"):
            parts["nginx"] += used
        elif b"odoo-bin" in command:
            parts["odoo"] += used
        elif command.startswith(b"postgres"):
            parts["postgresql"] += used
    with open("/proc/stat") as stat:
        idle = int(stat.readline().split()[4])
    result = {name: value / ticks for name, value in parts.items()}
    result["idle"] = idle / ticks
    return result


def measured_saturation(target, tag):
    before, start = cpu_by_part(), time.time()
    result = saturate(target, SATURATION_N, tag)
    after, elapsed = cpu_by_part(), time.time() - start
    acked = len(result["acked"]) or 1
    result["cpu_s_per_1000"] = {
        name: round((after[name] - before[name]) * 1000 / acked, 2)
        for name in ("nginx", "odoo", "postgresql")
    }
    result["idle_share"] = round(
        (after["idle"] - before["idle"]) / (elapsed * os.cpu_count()), 3
    )
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="livechat_bench")
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    tag = uuid.uuid4().hex[:6]
    setup = prepare(registry, tag)
    setups = {"one": Cluster(args.db, "a"), "two": Cluster(args.db, "a b")}
    results = {name: [] for name in ("direct", "one", "two")}
    paced = {}
    try:
        for cluster in setups.values():
            cluster.run("start", args.db)
        bases = {
            "direct": setups["one"].direct,
            "one": setups["one"].url,
            "two": setups["two"].url,
        }
        # One bot: its update ids are the provider's, counted across setups.
        bot = Telegram(bases["direct"], setup["key"], setup["secret"], tag)

        def aim(name):
            bot.url = "%s/livechat/telegram/%s" % (bases[name], setup["key"])
            return bot

        # First messages: open the 50 sessions, warm every worker.
        for n in range(CUSTOMERS):
            for name in bases:
                url, body, headers = aim(name).request(
                    n, "%s-warm-%s-%d" % (tag, name, n)
                )
                requests.post(url, data=body, headers=headers, timeout=60)
        for round_no in range(ROUNDS):
            # Interleaved: the machine's state is shared fairly.
            for name in bases:
                result = measured_saturation(
                    aim(name), "%s-%s%d" % (tag, name, round_no)
                )
                results[name].append(result)
                print(
                    "round %d, %s: %.1f webhooks/s (p50 %.1f ms, p99 %.1f ms), "
                    "CPU s per 1,000: %s, idle %.0f%%"
                    % (
                        round_no + 1,
                        name,
                        result["rate"],
                        result["p50_ms"],
                        result["p99_ms"],
                        result["cpu_s_per_1000"],
                        result["idle_share"] * 100,
                    ),
                    flush=True,
                )
        for name in ("one", "two"):
            paced[name] = paced_with_notify_latency(
                aim(name), "dbname=%s" % args.db, setup["partner"], "%s%s" % (tag, name)
            )
            print("paced, %s: %s" % (name, paced[name]), flush=True)
    finally:
        for cluster in setups.values():
            cluster.run("stop")
    summary = {"benchmark": "cluster", "clients": 8, "requests_per_round": SATURATION_N}
    for name, rounds in results.items():
        # count_stored looks markers up by their round's prefix.
        lost = sum(
            len(set(r["acked"]) - count_stored(registry, r["acked"], True))
            for r in rounds
        )
        summary[name] = {
            "rate_per_round": [round(r["rate"], 1) for r in rounds],
            "rate_median": round(statistics.median(r["rate"] for r in rounds), 1),
            "http_p50_ms": round(statistics.median(r["p50_ms"] for r in rounds), 1),
            "http_p99_ms": round(statistics.median(r["p99_ms"] for r in rounds), 1),
            "acked": sum(len(r["acked"]) for r in rounds),
            "lost": lost,
            "cpu_s_per_1000": {
                part: round(
                    statistics.median(r["cpu_s_per_1000"][part] for r in rounds), 2
                )
                for part in ("nginx", "odoo", "postgresql")
            },
            "idle_share": round(statistics.median(r["idle_share"] for r in rounds), 3),
        }
        if name in paced:
            summary[name]["paced"] = paced[name]
    summary["two_over_one"] = round(
        summary["two"]["rate_median"] / summary["one"]["rate_median"], 2
    )
    summary["proxy_cost"] = round(
        1 - summary["one"]["rate_median"] / summary["direct"]["rate_median"], 3
    )
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
