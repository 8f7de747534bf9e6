"""Retention benchmark: a live chat's retention period deleting a million
messages of closed sessions (the nightly cron, in committed batches),
against the peer: Odoo's ORM deleting im_livechat's messages
(``mail.message.unlink``, what an administrator's server action would do;
Odoo 11 has no retention of its own), same run, same database.

Ours: 10,000 closed sessions of 100 messages each (one customer), written
with SQL, then ``livechat.chat._cron_apply_retention`` with no time
budget; the rate, the longest batch (the longest any row stays locked), and
what is left. The peer: PEER_N messages of an im_livechat channel deleted
through the ORM in batches of the same size. The last line is a JSON
object. Usage: .venv/bin/python bench/retention.py --db livechat_bench
"""

import argparse
import datetime
import json
import statistics
import sys
import time
import uuid

import odoo
from odoo import SUPERUSER_ID

from ingest import in_transaction, setup_odoo

SESSIONS = 10000
PER_SESSION = 100
PEER_N = 20000
BATCH = 5000


def prepare_ours(registry, tag, sessions, per_session):
    def work(env):
        chat = env["livechat.chat"].create(
            {"name": "Retention bench %s" % tag, "retention_days": 30}
        )
        cr = env.cr
        cr.execute(
            """INSERT INTO livechat_account (name, channel, external_id)
               VALUES (%s, 'website', %s) RETURNING id""",
            ("Bench %s" % tag, tag),
        )
        account_id = cr.fetchone()[0]
        cr.execute(
            """INSERT INTO livechat_session (name, chat_id, account_id, channel,
                   state, priority, closed_date, create_date, write_date)
               SELECT 'Bench ' || n, %s, %s, 'website', 'closed', '0',
                      now() AT TIME ZONE 'UTC' - interval '40 days',
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
               FROM generate_series(1, %s) n RETURNING id""",
            (chat.id, account_id, sessions),
        )
        session_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            """INSERT INTO livechat_message (session_id, channel, direction, date,
                   body, create_date, write_date)
               SELECT s, 'website', 'in',
                      now() AT TIME ZONE 'UTC' - interval '41 days',
                      '<p>Message ' || n || ' of the bench</p>',
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
               FROM unnest(%s) s, generate_series(1, %s) n""",
            (session_ids, per_session),
        )
        return chat.id

    return in_transaction(registry, work)[0]


def prepare_peer(registry, tag, count):
    def work(env):
        channel = env["mail.channel"].create(
            {"name": "Retention peer %s" % tag, "channel_type": "livechat"}
        )
        env.cr.execute(
            """INSERT INTO mail_message (model, res_id, body, message_type,
                   date, create_date, write_date)
               SELECT 'mail.channel', %s, '<p>Message ' || n || '</p>', 'comment',
                      now() AT TIME ZONE 'UTC' - interval '41 days',
                      now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
               FROM generate_series(1, %s) n""",
            (channel.id, count),
        )
        return channel.id

    return in_transaction(registry, work)[0]


def run_ours(registry, chat_id):
    """The cron's batches, timed one by one (each commits)."""
    durations = []
    deleted = 0
    before = odoo.fields.Datetime.to_string(
        datetime.datetime.utcnow() - datetime.timedelta(days=30)
    )
    start = time.perf_counter()
    while True:
        began = time.perf_counter()
        with odoo.api.Environment.manage(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, SUPERUSER_ID, {})
            count = env["livechat.chat"].browse(chat_id)._purge_batch(before, BATCH)
            cr.commit()
        durations.append(time.perf_counter() - began)
        deleted += count
        if count < BATCH:
            break
    return deleted, time.perf_counter() - start, durations


def run_cron(registry):
    """The cron entry point itself (what Odoo runs nightly)."""
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        deleted = env["livechat.chat"]._cron_apply_retention(budget=3600)
        return deleted, time.perf_counter() - start


def run_peer(registry, channel_id):
    durations = []
    deleted = 0
    start = time.perf_counter()
    while True:
        began = time.perf_counter()
        with odoo.api.Environment.manage(), registry.cursor() as cr:
            env = odoo.api.Environment(cr, SUPERUSER_ID, {})
            messages = env["mail.message"].search(
                [("model", "=", "mail.channel"), ("res_id", "=", channel_id)],
                limit=BATCH,
            )
            messages.unlink()
            cr.commit()
        durations.append(time.perf_counter() - began)
        deleted += len(messages)
        if len(messages) < BATCH:
            break
    return deleted, time.perf_counter() - start, durations


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="livechat_bench")
    parser.add_argument("--sessions", type=int, default=SESSIONS)
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    tag = uuid.uuid4().hex[:6]
    total = args.sessions * PER_SESSION
    began = time.perf_counter()
    chat_id = prepare_ours(registry, tag, args.sessions, PER_SESSION)
    print("wrote %d messages in %.1f s" % (total, time.perf_counter() - began))
    deleted, elapsed, durations = run_ours(registry, chat_id)
    print(
        "ours: %d deleted in %.1f s (%.0f/s), batch p50 %.2f s, longest %.2f s"
        % (
            deleted,
            elapsed,
            deleted / elapsed,
            statistics.median(durations),
            max(durations),
        ),
        flush=True,
    )
    # The cron itself, on a second, smaller set (the loop above is its batch).
    chat_small = prepare_ours(registry, tag + "c", 200, PER_SESSION)
    cron_deleted, cron_elapsed = run_cron(registry)
    print("cron: %d deleted in %.1f s" % (cron_deleted, cron_elapsed), flush=True)
    channel_id = prepare_peer(registry, tag, PEER_N)
    peer_deleted, peer_elapsed, peer_durations = run_peer(registry, channel_id)
    print(
        "peer: %d deleted in %.1f s (%.0f/s), batch p50 %.2f s, longest %.2f s"
        % (
            peer_deleted,
            peer_elapsed,
            peer_deleted / peer_elapsed,
            statistics.median(peer_durations),
            max(peer_durations),
        ),
        flush=True,
    )

    def left(env):
        env.cr.execute(
            """SELECT count(*) FROM livechat_message m
               JOIN livechat_session s ON s.id = m.session_id
               WHERE s.chat_id IN %s""",
            ((chat_id, chat_small),),
        )
        return env.cr.fetchone()[0]

    remaining = in_transaction(registry, left)[0]
    print(
        json.dumps(
            {
                "benchmark": "retention",
                "messages": total,
                "batch": BATCH,
                "ours_deleted": deleted,
                "ours_seconds": round(elapsed, 1),
                "ours_per_s": round(deleted / elapsed),
                "ours_batch_p50_s": round(statistics.median(durations), 3),
                "ours_batch_max_s": round(max(durations), 3),
                "cron_deleted": cron_deleted,
                "left": remaining,
                "peer_deleted": peer_deleted,
                "peer_per_s": round(peer_deleted / peer_elapsed),
                "peer_batch_max_s": round(max(peer_durations), 3),
                "ratio": round((deleted / elapsed) / (peer_deleted / peer_elapsed), 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
