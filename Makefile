# Live Chats for Odoo - the two commands of the README, and their parts.
SHELL := /bin/bash
DB ?= livechat
PORT ?= 8069

.PHONY: setup run test lint test-odoo test-browser bench clean-db

setup:
	@bash scripts/setup.sh

## make run: install everything, create the demo database if missing, serve Odoo
run: setup
	@bash scripts/run.sh "$(DB)" "$(PORT)"

## make test: install everything, then lint, Odoo tests, browser tests
test: setup
	@bash scripts/test.sh

lint: setup
	@bash scripts/lint.sh

bench: setup
	@bash bench/run.sh

clean-db:
	dropdb --if-exists "$(DB)"
