#!/usr/bin/env bash
# Quick start 2: set up, then run lint, types and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Browser tests drive Debian's chromium (Playwright with its executable path, no download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 chromium（浏览器测试所需）..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "提示：未找到 chromium，浏览器测试将失败。请安装：sudo apt-get install chromium" >&2
  fi
fi
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
