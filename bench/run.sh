#!/usr/bin/env bash
# make bench: the benchmarks, each comparing against Odoo 11's own peer in the
# same run. Results go to var/bench-*.json (last line of each benchmark).
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"
cd "$ROOT"
mkdir -p var
DB="${BENCH_DB:-livechat_bench}"
if ! db_exists "$DB"; then
    echo "Creating $DB (project addons + im_livechat, no demo data)..."
    "$ROOT/scripts/odoo" -d "$DB" -i "$(project_addons),im_livechat" \
        --without-demo=all --stop-after-init --log-level=warn
else
    install_missing "$DB" "$(project_addons)"
fi
.venv/bin/python bench/ingest.py --db "$DB" "$@" | tee var/bench-ingest.log
tail -n 1 var/bench-ingest.log > var/bench-ingest.json
.venv/bin/python bench/routing_reports.py --db "$DB" | tee var/bench-routing-reports.log
tail -n 1 var/bench-routing-reports.log > var/bench-routing-reports.json
.venv/bin/python bench/widget.py --db "$DB" | tee var/bench-widget.log
tail -n 1 var/bench-widget.log > var/bench-widget.json
.venv/bin/python bench/workspace.py --db "$DB" | tee var/bench-workspace.log
tail -n 1 var/bench-workspace.log > var/bench-workspace.json
.venv/bin/python bench/channels.py --db "$DB" | tee var/bench-channels.log
tail -n 1 var/bench-channels.log > var/bench-channels.json
# Real Chromium against Odoo on a free port (the tools' venv has Playwright).
.venv-tools/bin/python bench/fanout.py --db "$DB" | tee var/bench-fanout.log
tail -n 1 var/bench-fanout.log > var/bench-fanout.json
# Long polling: the peer is Odoo 11 im_livechat alone, on a database of its own.
PEER_DB="${BENCH_PEER_DB:-livechat_bench_peer}"
if ! db_exists "$PEER_DB"; then
    echo "Creating $PEER_DB (im_livechat only, no demo data)..."
    "$ROOT/scripts/odoo" -d "$PEER_DB" -i im_livechat \
        --without-demo=all --stop-after-init --log-level=warn
fi
.venv-tools/bin/python bench/longpoll.py --db "$DB" --peer-db "$PEER_DB" \
    | tee var/bench-longpoll.log
tail -n 1 var/bench-longpoll.log > var/bench-longpoll.json
# Two Odoo servers behind nginx (scripts/cluster.sh) against one, same run.
.venv/bin/python bench/cluster.py --db "$DB" | tee var/bench-cluster.log
tail -n 1 var/bench-cluster.log > var/bench-cluster.json
# Retention: the cron deleting a million messages against the ORM's unlink.
.venv/bin/python bench/retention.py --db "$DB" | tee var/bench-retention.log
tail -n 1 var/bench-retention.log > var/bench-retention.json
