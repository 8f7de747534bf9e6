"""Workspace benchmark: opening the Live Chats workspace against opening
Odoo 11 Discuss with as many livechat channels, same run, same database.

Stored on each side: 1,000 sessions (livechat channels for the peer) of one
operator, with 100,000 messages, one session of 500 messages.

* first paint: what the client asks before it shows something: ours
  ``livechat.workspace.load`` (menu and counters) and ``sessions`` (the
  first group's list, 40 sessions); the peer ``/mail/client_action`` (Discuss'
  sidebar: every channel of the operator, counters, suggestions);
* the session list: ours ``sessions`` of the 500 closed sessions (a page);
* opening the 500-message session: ours ``messages`` (30, the history above
  paged), the peer ``message_fetch`` of the channel (Discuss' 30).

Each call in its own transaction as the operator (an employee), cold ORM
caches, medians of 11 runs after one warm-up. The last line is a JSON object.
Usage: .venv/bin/python bench/workspace.py --db livechat_bench
"""

import argparse
import json
import statistics
import uuid

import odoo

from ingest import setup_odoo
from widget import as_user

SESSIONS = 1000
MESSAGES = 100000
BIG = 500
RUNS = 11


def prepare(registry, tag):
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        team = env["res.groups"].create({"name": "Workspace bench %s" % tag})
        user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Workspace bench %s" % tag,
                    "login": "ws-bench-%s" % tag,
                    "livechat_status": "online",
                    "groups_id": [
                        (
                            6,
                            0,
                            [
                                env.ref("livechat_sessions.group_livechat_operator").id,
                                env.ref("im_livechat.im_livechat_group_user").id,
                                team.id,
                            ],
                        )
                    ],
                }
            )
        )
        chat = env["livechat.chat"].create(
            {
                "name": "Workspace bench %s" % tag,
                "operator_group_ids": [(6, 0, team.ids)],
                "supervisor_group_ids": [(6, 0, team.ids)],
            }
        )
        per = (MESSAGES - BIG) // (SESSIONS - 1)
        cr.execute(
            """
            INSERT INTO livechat_account (name, channel, external_id, active)
            SELECT 'Customer ' || n, 'telegram', %(tag)s || '-' || n, true
            FROM generate_series(1, %(n)s) n""",
            {"tag": "ws" + tag, "n": SESSIONS},
        )
        # 200 queued, 300 active (the operator's), 500 closed.
        cr.execute(
            """
            INSERT INTO livechat_session (name, chat_id, account_id, channel, state,
                priority, is_spam, operator_id, first_message_date,
                last_message_date)
            SELECT a.name, %(chat)s, a.id, 'telegram',
                   CASE WHEN k <= 200 THEN 'queued' WHEN k <= 500 THEN 'active'
                        ELSE 'closed' END, '0', false,
                   CASE WHEN k > 200 THEN %(uid)s END,
                   now() AT TIME ZONE 'UTC' - k * interval '1 hour',
                   now() AT TIME ZONE 'UTC' - k * interval '1 hour'
                       + interval '30 minutes'
            FROM livechat_account a
            CROSS JOIN LATERAL (SELECT split_part(a.external_id, '-', 2)::int AS k) x
            WHERE a.external_id LIKE %(like)s""",
            {"chat": chat.id, "uid": user.id, "like": "ws%s-%%" % tag},
        )
        cr.execute(
            """SELECT id FROM livechat_session WHERE chat_id = %s
                      AND state = 'active' ORDER BY id LIMIT 1""",
            (chat.id,),
        )
        big = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO livechat_message (session_id, channel, direction,
                author_account_id, author_user_id, body, date)
            SELECT s.id, 'telegram', CASE WHEN n %% 2 = 0 THEN 'in' ELSE 'out' END,
                   CASE WHEN n %% 2 = 0 THEN s.account_id END,
                   CASE WHEN n %% 2 = 1 THEN %(uid)s END,
                   '<p>Message ' || n || '</p>',
                   s.first_message_date + n * interval '3 seconds'
            FROM livechat_session s
            CROSS JOIN LATERAL generate_series(
                0, CASE WHEN s.id = %(big)s THEN %(big_n)s ELSE %(per)s END - 1) n
            WHERE s.chat_id = %(chat)s""",
            {"uid": user.id, "big": big, "big_n": BIG, "per": per, "chat": chat.id},
        )
        # The peer: as many livechat channels of the same operator, messages
        # linked as im_livechat stores them.
        peer = env["im_livechat.channel"].create(
            {"name": "Workspace peer %s" % tag, "user_ids": [(6, 0, user.ids)]}
        )
        cr.execute(
            """
            INSERT INTO mail_channel (name, channel_type, livechat_channel_id,
                uuid, public, email_send, create_date, anonymous_name, alias_id)
            SELECT 'Visitor ' || g, 'livechat', %s, md5(random()::text || g),
                   'private', false, now() AT TIME ZONE 'UTC' - g * interval '1 hour',
                   'Visitor', (SELECT alias_id FROM mail_channel ORDER BY id LIMIT 1)
            FROM generate_series(1, %s) g RETURNING id""",
            (peer.id, SESSIONS),
        )
        channels = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            INSERT INTO mail_channel_partner (channel_id, partner_id, is_pinned)
            SELECT c, %s, true FROM unnest(%s::int[]) c""",
            (user.partner_id.id, channels),
        )
        cr.execute(
            """
            WITH m AS (
                INSERT INTO mail_message (model, res_id, message_type, body, date,
                                          create_date, author_id, subtype_id)
                SELECT 'mail.channel', c.id, 'comment', '<p>Message ' || n || '</p>',
                       c.create_date + n * interval '3 seconds',
                       c.create_date + n * interval '3 seconds',
                       CASE WHEN n %% 2 = 1 THEN %(partner)s END, %(subtype)s
                FROM mail_channel c CROSS JOIN LATERAL generate_series(
                    0, CASE WHEN c.id = %(big)s THEN %(big_n)s ELSE %(per)s END - 1) n
                WHERE c.livechat_channel_id = %(peer)s
                RETURNING id, res_id)
            INSERT INTO mail_message_mail_channel_rel (mail_message_id, mail_channel_id)
            SELECT id, res_id FROM m""",
            {
                "partner": user.partner_id.id,
                "big": channels[0],
                "big_n": BIG,
                "per": per,
                "peer": peer.id,
                "subtype": env.ref("mail.mt_comment").id,
            },
        )
        cr.execute("ANALYZE")
        cr.commit()
        return user.id, chat.id, big, channels[0]


def measure(registry, uid, steps):
    """``steps``: the RPCs of one user action, each func(env). Returns the
    medians of the total time and queries, and the RPC count."""

    def run():
        total_q, total_s = 0, 0.0
        for step in steps:
            _result, queries, seconds = as_user(registry, uid, step)
            total_q += queries
            total_s += seconds
        return total_q, total_s

    run()  # warm-up
    runs = [run() for _i in range(RUNS)]
    return {
        "rpcs": len(steps),
        "queries": statistics.median(r[0] for r in runs),
        "ms": round(statistics.median(r[1] for r in runs) * 1000, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="livechat_bench")
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    tag = uuid.uuid4().hex[:6]
    print(
        "Preparing %d sessions and %d messages on each side..." % (SESSIONS, MESSAGES),
        flush=True,
    )
    uid, chat_id, big, channel = prepare(registry, tag)

    def ws(method, *a, **kw):
        return lambda env: getattr(env["livechat.workspace"], method)(*a, **kw)

    ours_paint = measure(registry, uid, [ws("load"), ws("sessions", chat_id, "mine")])
    ours_list = measure(registry, uid, [ws("sessions", chat_id, "closed")])
    ours_open = measure(registry, uid, [ws("messages", big)])

    def client_action(env):
        # What /mail/client_action returns, Discuss' first RPC.
        return (
            env["res.partner"].get_needaction_count(),
            env["res.partner"].get_starred_count(),
            env["mail.channel"].channel_fetch_slot(),
            env["mail.channel"].get_mention_commands(),
            env["res.partner"].get_static_mention_suggestions(),
            env["mail.shortcode"]
            .sudo()
            .search_read(
                [],
                [
                    "shortcode_type",
                    "source",
                    "unicode_source",
                    "substitution",
                    "description",
                ],
            ),
        )

    def fetch_channel(env):
        return env["mail.message"].message_fetch(
            [("channel_ids", "in", [channel])], limit=30
        )

    peer_paint = measure(registry, uid, [client_action])
    peer_open = measure(registry, uid, [fetch_channel])
    for name, figures in (
        ("ours first paint", ours_paint),
        ("ours session list", ours_list),
        ("ours open 500-message session", ours_open),
        ("peer Discuss first paint", peer_paint),
        ("peer Discuss open 500-message channel", peer_open),
    ):
        print("%-40s %s" % (name, figures), flush=True)
    print(
        json.dumps(
            {
                "benchmark": "workspace",
                "sessions": SESSIONS,
                "messages": MESSAGES,
                "ours_first_paint": ours_paint,
                "ours_session_list": ours_list,
                "ours_open_session": ours_open,
                "peer_first_paint": peer_paint,
                "peer_open_channel": peer_open,
                "first_paint_speedup": round(peer_paint["ms"] / ours_paint["ms"], 2),
                "open_session_speedup": round(peer_open["ms"] / ours_open["ms"], 2),
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
