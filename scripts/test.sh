#!/usr/bin/env bash
# make test: lint, the Odoo tests of every project addon on a fresh
# database, then the browser tests. The last line is "N passed, N failed".
#
# One part at a time, to check a change in a minute:
#   make test-odoo [ADDON=livechat_channels]   the Odoo tests (of one addon)
#   make test-browser [K=workspace]            the browser tests (pytest -k);
#                                              with K, an existing browser
#                                              database is kept
# (LIVECHAT_TEST_PARTS="lint odoo browser" is what make test runs.)
#
# Odoo's test runner exits 0 even when tests fail, so its log is read:
# "Ran N tests" lines give the count, "Module X: F failures, E errors" the
# failures; any other ERROR/CRITICAL line (an addon that did not install, a
# traceback outside a test) counts as one failure too.
set -uo pipefail
source "$(dirname "$0")/common.sh"
cd "$ROOT"
mkdir -p var
# The tests' own addons (tests/addons) are on Odoo's path for the tests:
# livechat_test_channel plugs a sixth channel in from outside and has tests
# of its own; livechat_test_customers gives livechat_sessions' tests their
# customers' channels (always installed, also with ADDON=...);
# livechat_test_gateway is for the browser tests.
export LIVECHAT_EXTRA_ADDONS="$ROOT/tests/addons"
ADDONS="${ADDON:-$(project_addons),livechat_test_channel},livechat_test_customers"
TEST_DB="${LIVECHAT_TEST_DB:-livechat_test}"
PARTS=" ${LIVECHAT_TEST_PARTS:-lint odoo browser} "
passed=0; failed=0; skipped=0
wants() { [[ "$PARTS" == *" $1 "* ]]; }

# --- lint ------------------------------------------------------------------
if wants lint; then
lint_out="$(bash scripts/lint.sh 2>&1)"; echo "$lint_out" | tail -n 20
read -r lp lf < <(echo "$lint_out" | sed -n 's/^lint: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' | tail -1)
passed=$((passed + ${lp:-0})); failed=$((failed + ${lf:-1}))
fi

# --- Odoo tests ------------------------------------------------------------
if wants odoo; then
echo "== Odoo tests of $ADDONS on a fresh database $TEST_DB"
dropdb --if-exists "$TEST_DB"
log=var/odoo-tests.log
# First what the addons depend on, without tests (Odoo would otherwise run
# the tests of base, mail, ... too); then the project's addons with theirs.
DEPENDS="$(cd "$ROOT" && .venv/bin/python - "$ADDONS" <<'PY'
import ast, sys
import os
names = sys.argv[1].split(",")
deps = set()
for name in names:
    path = name if os.path.isdir(name) else os.path.join("tests", "addons", name)
    deps |= set(ast.literal_eval(open("%s/__manifest__.py" % path).read())["depends"])
print(",".join(sorted(deps - set(names))))
PY
),$DEMO_EXTRAS"
"$ROOT/scripts/odoo" -d "$TEST_DB" -i "$DEPENDS" --stop-after-init --log-level=warn \
    --http-port=0 >var/odoo-depends.log 2>&1 || { echo "Installing $DEPENDS failed:"; tail -n 30 var/odoo-depends.log; }
# The tests of webhooks and public routes call Odoo's own HTTP server
# (HttpCase): it listens on a free port while the tests run.
"$ROOT/scripts/odoo" -d "$TEST_DB" -i "$ADDONS" --test-enable --stop-after-init \
    --log-level=test --http-interface=127.0.0.1 --http-port="$(free_port)" >"$log" 2>&1
odoo_rc=$?
ran=$(grep -aoE 'Ran [0-9]+ tests?' "$log" | awk '{s+=$2} END {print s+0}')
bad=$(grep -aoE 'Module [a-z_0-9]+: [0-9]+ failures, [0-9]+ errors' "$log" \
      | awk '{s+=$3+$5} END {print s+0}')
# ERROR lines that are not part of a test's own report.
stray=$(grep -aE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" \
        | grep -avE 'odoo\.addons\.[a-z_0-9]+\.tests\.|odoo\.modules\.module: Module |odoo\.modules\.loading: At least one test failed' \
        | wc -l)
grep -aE '(FAIL|ERROR): test_|^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" \
    | grep -av '^.*: ` ' | sed 's/^[0-9-]* [0-9:,]* [0-9]* //' | head -n 40
[ "$odoo_rc" -ne 0 ] && stray=$((stray + 1))
[ "$ran" -eq 0 ] && stray=$((stray + 1)) && echo "No Odoo test ran: see $log"
echo "Odoo tests: ran $ran, $bad failed or errored, $stray other errors (log: $log)"
passed=$((passed + ran - bad)); failed=$((failed + bad + stray))
fi

# --- browser tests -----------------------------------------------------------
if wants browser; then
echo "== Browser tests (Playwright + $(/usr/bin/chromium --version 2>/dev/null))"
# A database of its own, with demo data and no test leftovers (kept when
# only some tests run: K=...).
BROWSER_DB="${TEST_DB}_browser"
[ -z "${K:-}" ] && dropdb --if-exists "$BROWSER_DB"
select=(); [ -n "${K:-}" ] && select=(-k "$K")
LIVECHAT_TEST_DB="$BROWSER_DB" .venv-tools/bin/pytest -q -p no:cacheprovider \
    tests/browser tests/tooling "${select[@]}" --junitxml=var/browser-junit.xml 2>&1 | tail -n 30
# A browser test that failed runs once more: it counts as passed only if
# the rerun passes, and is named under "flaky" (every flaky test is looked
# into). CI's two busy cores are where a wait that is too short shows.
read -r bt bf be bs < <(.venv-tools/bin/python scripts/junit.py counts var/browser-junit.xml)
rerun=()
[ $((bf + be)) -gt 0 ] && mapfile -t rerun < <(.venv-tools/bin/python scripts/junit.py failed var/browser-junit.xml)
if [ "${#rerun[@]}" -gt 0 ]; then
    echo "== Running the ${#rerun[@]} failed browser test(s) once more"
    rm -f var/browser-rerun.xml
    LIVECHAT_TEST_DB="$BROWSER_DB" .venv-tools/bin/pytest -q -p no:cacheprovider \
        "${rerun[@]}" --junitxml=var/browser-rerun.xml 2>&1 | tail -n 15
    # Flaky only if the rerun ran the test and it passed: a test that could
    # not even be collected, or did not run, stays failed.
    mapfile -t passed_again < <(.venv-tools/bin/python scripts/junit.py passed var/browser-rerun.xml)
    flaky=0
    for test in "${rerun[@]}"; do
        if [ "${#passed_again[@]}" -gt 0 ] && printf '%s\n' "${passed_again[@]}" | grep -qxF "$test"; then
            echo "flaky: $test (failed, then passed)"; flaky=$((flaky + 1))
        else
            echo "failed twice: $test"
        fi
    done
    # The flaky ones count as passed; those that failed twice stay failed.
    bf=$((bf + be - flaky)); be=0
fi
# What the failed browser tests' pages showed and Odoo logged (conftest).
if [ -s var/browser/failures.txt ]; then
    echo "== What the failed browser tests saw (var/browser/failures.txt)"
    head -n 80 var/browser/failures.txt
fi
[ "${bt:-0}" -eq 0 ] && be=$((be + 1)) && echo "No browser test ran"
passed=$((passed + bt - bf - be - bs)); failed=$((failed + bf + be)); skipped=$((skipped + bs))
fi

echo
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
