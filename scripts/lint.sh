#!/usr/bin/env bash
# Lint: black, flake8, the pylint-odoo checks the OCA makes mandatory, eslint, the
# reST/manifest/XML checks of scripts/lint_extra.py, and the addons'
# README.rst up to date with their readme/ fragments. The same checks run
# before each commit with pre-commit (.pre-commit-config.yaml).
# Prints "lint: N passed, N failed" (one check per tool).
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
passed=0; failed=0
IFS=, read -r -a addons <<< "$(project_addons)"
targets=("${addons[@]}" tests bench scripts setup.py)
existing=(); for t in "${targets[@]}"; do [ -e "$t" ] && existing+=("$t"); done

# One formatting style for the Python code: black's (line length 88, as
# flake8 checks); `make format` applies it.
if .venv-tools/bin/black --check --quiet --target-version py37 "${existing[@]}"; then
    passed=$((passed + 1)); echo "black: ok"
else
    failed=$((failed + 1)); echo "black: FAILED (make format)"
fi
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
if .npm/node_modules/.bin/eslint --no-eslintrc -c .eslintrc.json \
        "${addons[@]/%//static/src/js}"; then
    passed=$((passed + 1)); echo "eslint: ok"
else
    failed=$((failed + 1)); echo "eslint: FAILED"
fi
# reST fragments, manifest dependencies, XML/QWeb (what pylint-odoo 10 lost).
if .venv-tools/bin/python scripts/lint_extra.py; then
    passed=$((passed + 1)); echo "rst, manifests, xml: ok"
else
    failed=$((failed + 1)); echo "rst, manifests, xml: FAILED"
fi
if .venv-tools/bin/python scripts/gen_readme.py --check; then
    passed=$((passed + 1)); echo "README.rst up to date: ok"
else
    failed=$((failed + 1)); echo "README.rst up to date: FAILED"
fi
echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
