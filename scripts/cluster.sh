#!/usr/bin/env bash
# make cluster / make cluster-stop: two Odoo servers on one database behind
# nginx, as a company that outgrows one Odoo process deploys them.
#
#   scripts/cluster.sh start [DB]      nginx + servers a and b (creates DB)
#   scripts/cluster.sh stop            stops what start started
#   scripts/cluster.sh status          what runs, on which ports
#   scripts/cluster.sh kill a|b        kill -9 one server (all its processes)
#   scripts/cluster.sh start-server a|b / stop-server a|b
#
# Each server runs in prefork mode (2 HTTP workers, 1 cron worker) with its
# gevent long-polling process; nginx (deploy/nginx-cluster.conf) sends
# /longpolling/ to the long-polling ports and the rest to the HTTP ports.
# Server a runs queue_job's job runner; b is started with the root channel's
# capacity at 0, which is queue_job's switch for "no runner here".
#
# Ports and folder come from the environment (the tests start clusters of
# their own): LIVECHAT_CLUSTER_PORT (nginx, 8080), LIVECHAT_CLUSTER_A_HTTP
# (8069), _A_POLL (8072), _B_HTTP (8169), _B_POLL (8172),
# LIVECHAT_CLUSTER_DIR (var/cluster: pids, logs, nginx's configuration);
# LIVECHAT_CLUSTER_SERVERS ("a b") the servers started and behind nginx
# (bench/cluster.py measures "a" alone too).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"

DIR="${LIVECHAT_CLUSTER_DIR:-$ROOT/var/cluster}"
PORT="${LIVECHAT_CLUSTER_PORT:-8080}"
declare -A HTTP=([a]="${LIVECHAT_CLUSTER_A_HTTP:-8069}" [b]="${LIVECHAT_CLUSTER_B_HTTP:-8169}")
declare -A POLL=([a]="${LIVECHAT_CLUSTER_A_POLL:-8072}" [b]="${LIVECHAT_CLUSTER_B_POLL:-8172}")
# queue_job's channels: a runs the jobs (two at once, replies one at a time
# so that a session's replies keep their order); b runs none.
declare -A CHANNELS=([a]="root:2,root.livechat:1" [b]="root:0")
SERVERS="${LIVECHAT_CLUSTER_SERVERS:-a b}"
NGINX=/usr/sbin/nginx

# running PID: the process exists and is not a zombie (a killed server's
# processes are reparented to PID 1, which in a container may not reap them).
running() {
    [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]
}
alive() { [ -f "$1" ] && running "$(cat "$1")"; }

start_server() {
    local name="$1" db="$2"
    if alive "$DIR/odoo-$name.pid"; then return 0; fi
    for port in "${HTTP[$name]}" "${POLL[$name]}"; do
        if port_in_use "$port"; then
            echo "Port $port (server $name) is already in use: stop what uses it." >&2
            return 1
        fi
    done
    # setsid: the server and its workers are one process group, stopped or
    # killed together.
    ODOO_QUEUE_JOB_CHANNELS="${CHANNELS[$name]}" setsid "$ROOT/scripts/odoo" \
        -d "$db" --db-filter="^$db\$" --proxy-mode \
        --workers=2 --max-cron-threads=1 \
        --http-interface=127.0.0.1 --http-port="${HTTP[$name]}" \
        --longpolling-port="${POLL[$name]}" --load=web,queue_job \
        --log-level="${LIVECHAT_CLUSTER_LOG_LEVEL:-info}" \
        >>"$DIR/odoo-$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/odoo-$name.pid"
    echo "$db" >"$DIR/db"
}

wait_server() {
    local name="$1"
    if ! wait_http "http://127.0.0.1:${HTTP[$name]}/web/login" 180; then
        echo "Server $name did not answer; the end of $DIR/odoo-$name.log:" >&2
        tail -n 30 "$DIR/odoo-$name.log" >&2
        return 1
    fi
}

stop_server() {
    local name="$1" signal="${2:-TERM}"
    local pidfile="$DIR/odoo-$name.pid"
    if alive "$pidfile"; then
        local pid
        pid="$(cat "$pidfile")"
        kill -"$signal" -- "-$pid" 2>/dev/null || true
        # Odoo stops its workers gracefully on TERM; what is left after 30 s
        # is killed.
        for _ in $(seq 1 60); do running "$pid" || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
}

start_nginx() {
    if alive "$DIR/nginx.pid"; then return 0; fi
    if port_in_use "$PORT"; then
        echo "Port $PORT (nginx) is already in use: stop what uses it." >&2
        return 1
    fi
    mkdir -p "$DIR/nginx-tmp"
    local user=""
    # nginx started by root runs its workers as root here (its temporary
    # files live in this folder); by anyone else, as that user.
    [ "$(id -u)" -eq 0 ] && user="user root;"
    local http_servers="" poll_servers="" name
    for name in $SERVERS; do
        http_servers+="        server 127.0.0.1:${HTTP[$name]} max_fails=1 fail_timeout=10s;\n"
        poll_servers+="        server 127.0.0.1:${POLL[$name]} max_fails=1 fail_timeout=10s;\n"
    done
    sed -e "s|@USER@|$user|" -e "s|@DIR@|$DIR|g" -e "s|@PORT@|$PORT|" \
        -e "s|^@HTTP_SERVERS@|$http_servers|" -e "s|^@POLL_SERVERS@|$poll_servers|" \
        -e "s|@A_HTTP@|${HTTP[a]}|g" -e "s|@A_POLL@|${POLL[a]}|g" \
        -e "s|@B_HTTP@|${HTTP[b]}|g" -e "s|@B_POLL@|${POLL[b]}|g" \
        deploy/nginx-cluster.conf >"$DIR/nginx.conf"
    "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/nginx-error.log"
}

stop_nginx() {
    if alive "$DIR/nginx.pid"; then
        "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/nginx-error.log" -s quit
        for _ in $(seq 1 20); do alive "$DIR/nginx.pid" || break; sleep 0.5; done
    fi
}

status() {
    for name in a b; do
        if alive "$DIR/odoo-$name.pid"; then
            echo "server $name: pid $(cat "$DIR/odoo-$name.pid"), http ${HTTP[$name]}, long polling ${POLL[$name]}"
        else
            echo "server $name: stopped"
        fi
    done
    if alive "$DIR/nginx.pid"; then
        echo "nginx: http://localhost:$PORT"
    else
        echo "nginx: stopped"
    fi
}

mkdir -p "$DIR"
command="${1:-start}"
case "$command" in
start)
    DB="${2:-livechat}"
    if ! db_exists "$DB"; then
        echo "Creating database $DB with $DEMO_EXTRAS, $(project_addons) and demo data (a few minutes)..."
        create_demo_db "$DB"
    else
        install_missing "$DB" "$(project_addons)"
    fi
    for name in $SERVERS; do start_server "$name" "$DB"; done
    for name in $SERVERS; do wait_server "$name"; done
    start_nginx
    wait_http "http://127.0.0.1:$PORT/web/login" 30
    cat <<INFO

  Live Chats for Odoo on http://localhost:$PORT (nginx), database $DB
    server a: http://127.0.0.1:${HTTP[a]}, long polling ${POLL[a]} (runs the job runner)
    server b: http://127.0.0.1:${HTTP[b]}, long polling ${POLL[b]}
  Logins (password = login): admin, supervisor, operator, operator2, reader
  Logs: $DIR/   Stop: make cluster-stop

INFO
    ;;
stop)
    stop_nginx
    stop_server a
    stop_server b
    echo "Cluster stopped."
    ;;
status) status ;;
kill) stop_server "$2" KILL ;;
stop-server) stop_server "$2" ;;
start-server)
    start_server "$2" "$(cat "$DIR/db")"
    wait_server "$2"
    ;;
*)
    echo "usage: $0 start [DB] | stop | status | kill a|b | start-server a|b | stop-server a|b" >&2
    exit 2
    ;;
esac
