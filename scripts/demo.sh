#!/usr/bin/env bash
# Quick start 1: set up, then run the demo end to end (reports land in out/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/jingxin demo "$@"
