# Live Chats for Odoo - the two commands of the README, and their parts.
SHELL := /bin/bash
DB ?= livechat
PORT ?= 8069

.PHONY: setup run test lint format test-odoo test-browser bench clean-db readme pot \
	cluster cluster-stop

setup:
	@bash scripts/setup.sh

## make run: install everything, create the demo database if missing, serve Odoo
run: setup
	@bash scripts/run.sh "$(DB)" "$(PORT)"

## make cluster: nginx on http://localhost:8080 in front of two Odoo servers
## on the demo database (README "Several Odoo servers behind nginx")
cluster: setup
	@bash scripts/cluster.sh start "$(DB)"

cluster-stop:
	@bash scripts/cluster.sh stop

## make test: install everything, then lint, Odoo tests, browser tests
test: setup
	@bash scripts/test.sh

lint: setup
	@bash scripts/lint.sh

## make format: the Python code in black's style, the JavaScript in eslint's
format: setup
	@.venv-tools/bin/black --quiet --target-version py37 livechat_* tests bench scripts setup.py
	@.npm/node_modules/.bin/eslint --no-eslintrc -c .eslintrc.json --fix livechat_*/static/src/js

## make readme: each addon's README.rst from its readme/ fragments
readme:
	@python3 scripts/gen_readme.py

## make pot: each addon's i18n/<addon>.pot, from Odoo's own exporter
pot: setup
	@bash scripts/pot.sh

## make test-odoo [ADDON=livechat_channels]: the Odoo tests (of one addon)
test-odoo: setup
	@LIVECHAT_TEST_PARTS=odoo ADDON="$(ADDON)" bash scripts/test.sh

## make test-browser [K=workspace]: the browser tests (pytest -k expression)
test-browser: setup
	@LIVECHAT_TEST_PARTS=browser K="$(K)" bash scripts/test.sh

bench: setup
	@bash bench/run.sh

clean-db:
	dropdb --if-exists "$(DB)"
