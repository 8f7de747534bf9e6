#!/usr/bin/env bash
# make pot: each addon's i18n/<addon>.pot, exported by Odoo's own exporter
# from a database where the addons are installed without demo data
# (LIVECHAT_POT_DB, created when missing, updated otherwise).
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
DB="${LIVECHAT_POT_DB:-livechat_pot}"
ADDONS="$(project_addons)"
if db_exists "$DB"; then
    "$ROOT/scripts/odoo" -d "$DB" -u "$ADDONS" --stop-after-init --log-level=warn \
        --http-port=0
else
    "$ROOT/scripts/odoo" -d "$DB" -i "$ADDONS" --without-demo=all --stop-after-init \
        --log-level=warn --http-port=0
fi
for addon in ${ADDONS//,/ }; do
    mkdir -p "$addon/i18n"
    # Odoo 11 exports a template (no --language) only to a .po name.
    "$ROOT/scripts/odoo" -d "$DB" --modules="$addon" \
        --i18n-export="$ROOT/$addon/i18n/$addon.po" --stop-after-init \
        --log-level=warn --http-port=0
    mv "$addon/i18n/$addon.po" "$addon/i18n/$addon.pot"
    # The export's date lines change at every run: drop them so that a pot
    # changes only when the texts do.
    sed -i '/^"POT-Creation-Date:\|^"PO-Revision-Date:/d' "$addon/i18n/$addon.pot"
    echo "$addon/i18n/$addon.pot: $(grep -c '^msgid ' "$addon/i18n/$addon.pot") texts"
done
# The translations follow the new templates (their untranslated texts are
# named by tests/tooling/test_translations.py).
"$ROOT/.venv/bin/python" "$ROOT/scripts/po_update.py" ${ADDONS//,/ }
