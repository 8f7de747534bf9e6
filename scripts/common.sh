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

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
