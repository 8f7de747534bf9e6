#!/usr/bin/env bash
# Create a demo database (used by make run and the browser tests).
set -euo pipefail
source "$(dirname "$0")/common.sh"
create_demo_db "$1"
