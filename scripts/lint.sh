#!/usr/bin/env bash
# Lint: flake8 and the pylint-odoo checks the OCA makes mandatory.
# Prints "lint: N passed, N failed" (one check per tool).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
passed=0; failed=0
IFS=, read -r -a addons <<< "$(project_addons)"
targets=("${addons[@]}" tests bench)
existing=(); for t in "${targets[@]}"; do [ -e "$t" ] && existing+=("$t"); done

if .venv-tools/bin/flake8 "${existing[@]}"; then
    passed=$((passed + 1)); echo "flake8: ok"
else
    failed=$((failed + 1)); echo "flake8: FAILED"
fi
if .venv-tools/bin/pylint --rcfile=.pylintrc "${addons[@]}"; then
    passed=$((passed + 1)); echo "pylint-odoo: ok"
else
    failed=$((failed + 1)); echo "pylint-odoo: FAILED"
fi
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
