# Shared helpers of the project's scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.npm/node_modules/.bin:$PATH"

# The project's addons, comma-separated: every folder with a manifest.
project_addons() {
    local names=()
    for manifest in "$ROOT"/*/__manifest__.py; do
        names+=("$(basename "$(dirname "$manifest")")")
    done
    local IFS=,
    echo "${names[*]}"
}

db_exists() {
    psql -lqt 2>/dev/null | cut -d'|' -f1 | tr -d ' ' | grep -qx "$1"
}

# wait_http URL SECONDS: wait until URL answers
wait_http() {
    local url="$1" limit="${2:-120}"
    for _ in $(seq 1 "$limit"); do
        if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
        sleep 1
    done
    return 1
}

# free_port: a TCP port nothing listens on now (for servers the tests start).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Odoo apps installed beside the project's addons in the demo and test
# databases: CRM, so that the widget's demo shows on leads (livechat_widget
# places it there when CRM is present). None of the addons depends on them.
DEMO_EXTRAS="crm"

# create_demo_db DB: a database with the demo extras, then every project
# addon, with demo data. The extras go first so the addons' demo finds them.
create_demo_db() {
    "$ROOT/scripts/odoo" -d "$1" -i "$DEMO_EXTRAS" --stop-after-init \
        --log-level=warn --http-port=0 &&
    "$ROOT/scripts/odoo" -d "$1" -i "$(project_addons)" --stop-after-init \
        --log-level=warn --http-port=0
}

# install_missing DB ADDONS: install those of ADDONS (comma-separated) that
# DB does not have yet (an addon added to the project since DB was made).
install_missing() {
    local installed missing=() present=() name
    installed=",$(psql -d "$1" -tAc "SELECT string_agg(name, ',') FROM ir_module_module
        WHERE state = 'installed'"),"
    for name in ${2//,/ }; do
        if [[ "$installed" == *",$name,"* ]]; then present+=("$name"); else missing+=("$name"); fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        local IFS=, args=()
        # The new addons may need the others' newer data: update those too.
        [ "${#present[@]}" -gt 0 ] && args=(-u "${present[*]}")
        echo "Installing ${missing[*]} into $1 (updating ${present[*]:-nothing})..."
        "$ROOT/scripts/odoo" -d "$1" -i "${missing[*]}" "${args[@]}" \
            --stop-after-init --log-level=warn --http-port=0
    fi
}
