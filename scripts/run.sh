#!/usr/bin/env bash
# make run: create the demo database with every project addon if it is
# missing (or install an addon added since), then serve Odoo.
set -euo pipefail
source "$(dirname "$0")/common.sh"
DB="${1:-livechat}"
PORT="${2:-8069}"
ADDONS="$(project_addons)"

if port_in_use "$PORT"; then
    echo "Port $PORT is already in use: stop the other server first." >&2
    exit 1
fi
if ! db_exists "$DB"; then
    echo "Creating database $DB with $DEMO_EXTRAS, $ADDONS and demo data (a few minutes)..."
    create_demo_db "$DB"
else
    install_missing "$DB" "$ADDONS"
fi
cat <<INFO

  Live Chats for Odoo on http://localhost:$PORT  (database $DB)
  Logins (password = login): admin, supervisor, operator, operator2, reader

INFO
# Extra server options (e.g. ODOO_ARGS="--workers=2") come from the environment.
# shellcheck disable=SC2086
exec "$ROOT/scripts/odoo" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" \
    --load=web,queue_job ${ODOO_ARGS:-}
