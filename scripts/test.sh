#!/usr/bin/env bash
# Quick start 2: set up, then run lint, types and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
set +e
.venv/bin/python -m pytest -n auto "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then
  echo "pytest 没有收集到任何测试：这是错误。" >&2
  exit 1
fi
exit "$rc"
