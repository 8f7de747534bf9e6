"""Routing and reports benchmark, against Odoo 11 im_livechat in the same run.

Routing (200 Online operators, 5,000 sessions queued in the chat):
* ours: the routing decision for a new session (least loaded under
  capacity: the candidates' loads, then the chosen operator's row lock and
  load check), one transaction each, p50 / p99;
* peer: im_livechat's decision (``get_available_users`` + a random pick) over
  the same 200 operators;
* dispatch: every operator comes Online and is offered queued sessions up
  to a capacity of 25: sessions dispatched per second.

Reports (1,000,000 messages over 20,000 sessions and a year, on both sides):
* each report's default view (its action's default filter, the pivot's
  default grouping) as the web client asks it (``read_group``), and whether
  PostgreSQL's plan uses indexes;
* peer: im_livechat's Livechat Support Report (``im_livechat.report.channel``)
  over 1,000,000 ``mail.message`` rows in 20,000 livechat channels.

The last line is a JSON object of the figures.
Usage: .venv/bin/python bench/routing_reports.py --db livechat_bench
"""

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timedelta

from odoo import fields

from ingest import in_transaction, setup_odoo

OPERATORS = 200
QUEUED = 5000
MESSAGES = 1000000
SESSIONS = 20000


def percentiles(timings):
    timings = sorted(timings)
    return {
        "p50_ms": round(statistics.median(timings) * 1000, 2),
        "p99_ms": round(timings[max(0, int(len(timings) * 0.99) - 1)] * 1000, 2),
    }


def prepare_team(registry, tag):
    def work(env):
        group = env["res.groups"].create({"name": "Routing bench %s" % tag})
        op_group = env.ref("livechat_sessions.group_livechat_operator")
        lc_group = env.ref("im_livechat.im_livechat_group_user")
        users = env["res.users"].with_context(no_reset_password=True)
        ids = [
            users.create(
                {
                    "name": "Router %d %s" % (i, tag),
                    "login": "router-%d-%s" % (i, tag),
                    "livechat_status": "offline",
                    "livechat_capacity": 25,
                    "groups_id": [(6, 0, [op_group.id, lc_group.id, group.id])],
                }
            ).id
            for i in range(OPERATORS)
        ]
        now = fields.Datetime.now()
        for user_id in ids:
            env["bus.presence"].create(
                {
                    "user_id": user_id,
                    "status": "online",
                    "last_poll": now,
                    "last_presence": now,
                }
            )
        # 200 operators, and a supervisors' group of their own (a team has a
        # few supervisors, not 200).
        leads = env["res.groups"].create({"name": "Routing bench leads %s" % tag})
        chat = env["livechat.chat"].create(
            {
                "name": "Routing bench %s" % tag,
                "operator_group_ids": [(6, 0, group.ids)],
                "supervisor_group_ids": [(6, 0, leads.ids)],
            }
        )
        env["livechat.routing.rule"].create(
            {
                "name": "Least loaded",
                "chat_id": chat.id,
                "group_id": group.id,
                "strategy": "least_loaded",
            }
        )
        peer = env["im_livechat.channel"].create(
            {"name": "Routing bench %s" % tag, "user_ids": [(6, 0, ids)]}
        )
        return chat.id, peer.id, ids

    return in_transaction(registry, work)[0]


def queue_sessions(registry, chat_id, count, tag):
    """``count`` sessions waiting in the chat's queue, written in SQL (the
    way in is measured by bench/ingest.py; here only the queue matters)."""

    def work(env):
        env.cr.execute(
            """
            INSERT INTO livechat_account (name, channel, external_id, active)
            SELECT 'Queued ' || g, 'telegram', %(prefix)s || g, true
            FROM generate_series(1, %(count)s) g""",
            {"prefix": "q%s-" % tag, "count": count},
        )
        env.cr.execute(
            """
            INSERT INTO livechat_session (name, chat_id, account_id, channel, state,
                priority, is_spam, first_message_date, last_message_date)
            SELECT a.name, %(chat)s, a.id, 'telegram', 'queued', '0', false,
                   now() AT TIME ZONE 'UTC' - random() * interval '1 hour',
                   now() AT TIME ZONE 'UTC'
            FROM livechat_account a WHERE a.external_id LIKE %(like)s""",
            {"chat": chat_id, "like": "q%s-%%" % tag},
        )

    in_transaction(registry, work)
    # What autovacuum does within a minute of such a bulk load in
    # production: without statistics, PostgreSQL plans for empty tables.
    analyze(registry)


def analyze(registry):
    in_transaction(
        registry,
        lambda env: env.cr.execute(
            "ANALYZE livechat_account, livechat_session, res_users"
        ),
    )


def refresh_presence(env, user_ids):
    """im_livechat hands visitors only to operators polled within a minute."""
    env["bus.presence"].search([("user_id", "in", user_ids)]).write(
        {
            "last_poll": fields.Datetime.now(),
            "last_presence": fields.Datetime.now(),
            "status": "online",
        }
    )


def bench_routing(registry, chat_id, peer_id, user_ids, tag):
    queue_sessions(registry, chat_id, QUEUED, tag)
    # Every operator Online (without offers yet: capacity applies later).
    in_transaction(
        registry,
        lambda env: env.cr.execute(
            "UPDATE res_users SET livechat_status = 'online' WHERE id IN %s",
            (tuple(user_ids),),
        ),
    )
    ours = []
    for i in range(300):

        def decide(env, i=i):
            Session = env["livechat.session"]
            chat = env["livechat.chat"].browse(chat_id)
            account = env["livechat.account"].create(
                {
                    "name": "New %d" % i,
                    "channel": "telegram",
                    "external_id": "new%s-%d" % (tag, i),
                }
            )
            session = Session.create(
                {
                    "chat_id": chat_id,
                    "account_id": account.id,
                    "channel": "telegram",
                    "first_message_date": fields.Datetime.now(),
                }
            )
            t0 = time.perf_counter()
            chat._route(session, "hello")
            return time.perf_counter() - t0

        ours.append(in_transaction(registry, decide)[0])
    in_transaction(registry, lambda env: refresh_presence(env, user_ids))
    peer = []
    for _i in range(300):

        def decide_peer(env):
            channel = env["im_livechat.channel"].browse(peer_id)
            t0 = time.perf_counter()
            users = channel.get_available_users()
            random.choice(users)
            return time.perf_counter() - t0

        peer.append(in_transaction(registry, decide_peer)[0])
    # Dispatch: each operator gets queued sessions up to capacity.
    in_transaction(
        registry,
        lambda env: env.cr.execute(
            "UPDATE livechat_session SET state = 'closed' WHERE chat_id = %s "
            "AND state = 'active'",
            (chat_id,),
        ),
    )
    t0 = time.perf_counter()
    for user_id in user_ids:
        in_transaction(
            registry,
            lambda env, user_id=user_id: env["res.users"]
            .browse(user_id)
            ._livechat_offer_queued(),
        )
    elapsed = time.perf_counter() - t0
    dispatched = in_transaction(
        registry,
        lambda env: env.cr.execute(
            "SELECT count(*) FROM livechat_session WHERE chat_id = %s AND state = "
            "'active'",
            (chat_id,),
        )
        or env.cr.fetchone()[0],
    )[0]
    return {
        "ours_decision": percentiles(ours),
        "peer_decision": percentiles(peer),
        "dispatched": dispatched,
        "dispatch_per_s": round(dispatched / elapsed, 1),
    }


def fill_reports(registry, chat_id, peer_id, user_ids):
    """1,000,000 messages on each side, written in SQL (a year of history)."""

    def work(env):
        cr = env.cr
        start = datetime.utcnow() - timedelta(days=365)
        cr.execute(
            """
            INSERT INTO livechat_account (name, channel, external_id, active)
            SELECT 'Hist ' || g, 'whatsapp', 'hist-%s-' || g, true
            FROM generate_series(1, %s) g""",
            (chat_id, SESSIONS),
        )
        cr.execute(
            """
            INSERT INTO livechat_session (name, chat_id, account_id, channel, state,
                priority, is_spam, operator_id, first_message_date,
                last_message_date, assigned_date, queue_wait, first_response_date,
                first_response_time, closed_date, handle_time)
            SELECT 'Hist ' || a.id, %(chat)s, a.id, 'whatsapp', 'closed', '0',
                   (a.id %% 50 = 0), (%(users)s)[1 + a.id %% 200], t.at, t.at,
                   t.at + interval '2 minutes', 120, t.at + interval '3 minutes',
                   180, t.at + interval '30 minutes', 1680
            FROM livechat_account a
            CROSS JOIN LATERAL (SELECT %(start)s::timestamp
                + (random() * 365) * interval '1 day' AS at) t
            WHERE a.external_id LIKE 'hist-%(chat)s-%%'""",
            {"chat": chat_id, "users": user_ids, "start": start},
        )
        cr.execute(
            """
            INSERT INTO livechat_session_event (session_id, event, user_id, date,
                                                handle_time)
            SELECT s.id, e.event, s.operator_id,
                   s.assigned_date + e.shift, e.handle
            FROM livechat_session s
            CROSS JOIN (VALUES ('taken', interval '0', NULL::float),
                               ('closed', interval '28 minutes', 1680::float))
                 AS e(event, shift, handle)
            WHERE s.chat_id = %s AND s.name LIKE 'Hist %%'""",
            (chat_id,),
        )
        per_session = MESSAGES // SESSIONS
        cr.execute(
            """
            INSERT INTO livechat_message (session_id, channel, direction,
                author_account_id, author_user_id, body, date, response_time,
                is_first_response)
            SELECT s.id, 'whatsapp', CASE WHEN n %% 2 = 0 THEN 'in' ELSE 'out' END,
                   CASE WHEN n %% 2 = 0 THEN s.account_id END,
                   CASE WHEN n %% 2 = 1 THEN s.operator_id END,
                   '<p>history</p>', s.first_message_date + n * interval '1 minute',
                   CASE WHEN n %% 2 = 1 THEN 60 END, n = 1
            FROM livechat_session s CROSS JOIN generate_series(0, %s - 1) n
            WHERE s.chat_id = %s AND s.name LIKE 'Hist %%'""",
            (per_session, chat_id),
        )
        # The peer: as many livechat channels and messages in mail's tables.
        cr.execute(
            """
            INSERT INTO mail_channel (name, channel_type, livechat_channel_id,
                uuid, public, email_send, create_date, anonymous_name, alias_id)
            SELECT 'Hist ' || g, 'livechat', %s, md5(random()::text || g),
                   'private', false,
                   %s::timestamp + (random() * 365) * interval '1 day', 'Visitor',
                   (SELECT alias_id FROM mail_channel ORDER BY id LIMIT 1)
            FROM generate_series(1, %s) g RETURNING id, create_date""",
            (peer_id, start, SESSIONS),
        )
        channels = cr.fetchall()
        cr.execute(
            """
            INSERT INTO mail_channel_partner (channel_id, partner_id)
            SELECT c.id, (SELECT partner_id FROM res_users
                          WHERE id = (%s)[1 + c.id %% 200])
            FROM unnest(%s::int[]) AS c(id)""",
            (user_ids, [c[0] for c in channels]),
        )
        cr.execute(
            """
            WITH m AS (
                INSERT INTO mail_message (model, res_id, message_type, body, date,
                                          create_date, author_id)
                SELECT 'mail.channel', c.id, 'comment', '<p>history</p>',
                       c.create_date + n * interval '1 minute',
                       c.create_date + n * interval '1 minute', NULL
                FROM mail_channel c CROSS JOIN generate_series(0, %s - 1) n
                WHERE c.livechat_channel_id = %s
                RETURNING id, res_id)
            INSERT INTO mail_message_mail_channel_rel (mail_message_id, mail_channel_id)
            SELECT id, res_id FROM m""",
            (per_session, peer_id),
        )
        cr.execute("ANALYZE")

    in_transaction(registry, work)


def timed_read_group(registry, model, domain, fields_, groupby, runs=3):
    timings = []
    for _i in range(runs):

        def work(env):
            t0 = time.perf_counter()
            # Odoo 11 wants the grouped fields among those read.
            names = fields_ + [g.split(":")[0] for g in groupby]
            env[model].read_group(domain, names, groupby, lazy=False)
            return time.perf_counter() - t0

        timings.append(in_transaction(registry, work)[0])
    return round(statistics.median(timings), 3)


def plan_uses_index(registry, query):
    def work(env):
        env.cr.execute("EXPLAIN " + query)
        return "\n".join(row[0] for row in env.cr.fetchall())

    plan = in_transaction(registry, work)[0]
    return "Index" in plan


def bench_reports(registry):
    month_ago = fields.Datetime.to_string(datetime.utcnow() - timedelta(days=30))
    ours_operator = timed_read_group(
        registry,
        "livechat.report.operator",
        [("date", ">=", month_ago)],
        [
            "sessions_taken",
            "sessions_closed",
            "sessions_transferred",
            "messages_sent",
            "first_response_time",
            "response_time",
            "handle_time",
        ],
        ["operator_id", "date:month"],
    )
    ours_chat = timed_read_group(
        registry,
        "livechat.report.chat",
        [("date", ">=", month_ago)],
        ["sessions", "queue_wait", "abandoned", "spam_sessions"],
        ["chat_id", "date:month"],
    )
    peer = timed_read_group(
        registry,
        "im_livechat.report.channel",
        [("start_date", ">=", month_ago)],
        ["nbr_message", "duration"],
        ["livechat_channel_id", "start_date:month"],
    )
    return {
        "ours_operator_report_s": ours_operator,
        "ours_chat_report_s": ours_chat,
        "peer_livechat_report_s": peer,
        "operator_report_uses_index": plan_uses_index(
            registry,
            "SELECT operator_id, sum(messages_sent) FROM "
            "livechat_report_operator WHERE date >= '%s' GROUP BY 1" % month_ago,
        ),
        "chat_report_uses_index": plan_uses_index(
            registry,
            "SELECT chat_id, sum(sessions) FROM livechat_report_chat "
            "WHERE date >= '%s' GROUP BY 1" % month_ago,
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="livechat_bench")
    parser.add_argument("--part", choices=["all", "routing", "reports"], default="all")
    parser.add_argument(
        "--keep-history",
        action="store_true",
        help="reports: time the views over the history an "
        "earlier run wrote, without writing more",
    )
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    tag = uuid.uuid4().hex[:6]
    t0 = time.perf_counter()
    chat_id, peer_id, user_ids = prepare_team(registry, tag)
    routing = reports = {}
    if args.part in ("all", "routing"):
        routing = bench_routing(registry, chat_id, peer_id, user_ids, tag)
        print("routing %s" % routing, flush=True)
    if args.part in ("all", "reports"):
        if not args.keep_history:
            fill_reports(registry, chat_id, peer_id, user_ids)
        reports = bench_reports(registry)
    print("reports %s" % reports, flush=True)
    result = dict(
        benchmark="routing_reports",
        operators=OPERATORS,
        queued=QUEUED,
        messages=MESSAGES,
        seconds=round(time.perf_counter() - t0, 1),
        targets={"routing_p99_ms_max": 20, "report_s_max": 2},
        **routing,
    )
    result.update(reports)
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
