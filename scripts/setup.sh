#!/usr/bin/env bash
# Set up a fresh machine for jingxin: a virtual environment with the locked dependencies
# (PySpark included), the package itself, the CJK fonts that charts in documents need, and
# Java 17 for the Spark engine.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "需要 Python 3.11 或更高版本（当前：$("$PY" --version 2>&1)）。" >&2
  exit 1
fi

# (grep without -q: under pipefail, grep -q closing the pipe early makes fc-list fail with
# SIGPIPE, and the fonts would be installed again on every run)
if ! fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装中文字体 fonts-noto-cjk ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null
  else
    echo "提示：未找到 Noto CJK 中文字体，报告中的图表将无法生成。请安装：sudo apt-get install fonts-noto-cjk" >&2
  fi
fi

# The Spark engine (JINGXIN_ENGINE=spark) and its parity test run PySpark, which needs Java 17.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 Java 17（Spark 计算引擎所需）openjdk-17-jre-headless ..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  else
    echo "提示：未找到 Java，Spark 计算引擎及其测试需要 Java 17。请安装：sudo apt-get install openjdk-17-jre-headless" >&2
  fi
fi

# The web platform's charts: Apache ECharts from npm (package-lock.json), served by the
# platform itself (no CDN).
VENDOR=src/jingxin/web/static/vendor
if [ ! -s "$VENDOR/echarts.min.js" ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "安装 Node.js 与 npm（网页图表脚本所需）..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
    mkdir -p "$VENDOR"
    cp node_modules/echarts/dist/echarts.min.js "$VENDOR/"
    cp node_modules/echarts/LICENSE "$VENDOR/echarts-LICENSE.txt"
  else
    echo "提示：未找到 npm，网页平台的图表将无法显示。请安装：sudo apt-get install nodejs npm，然后重新运行本脚本。" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip uv >/dev/null
.venv/bin/uv pip install -q --python .venv/bin/python -r requirements.lock
.venv/bin/uv pip install -q --python .venv/bin/python --no-deps -e .
