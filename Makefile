# Developer tasks. The README's quick start needs only bash and Python (scripts/*.sh).
.PHONY: setup test lint fmt docs demo bench lock

setup:
	bash scripts/setup.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks
	.venv/bin/mypy

fmt:
	.venv/bin/ruff format src tests benchmarks
	.venv/bin/ruff check --fix src tests benchmarks

# The reference pages (docs/reference/) and the README's settings table, from the code;
# tests/test_docs.py fails when they differ.
docs:
	.venv/bin/python scripts/gen_docs.py

demo:
	bash scripts/demo.sh

bench:
	.venv/bin/python benchmarks/bench_demo.py
	.venv/bin/python benchmarks/bench_ingest.py
	.venv/bin/python benchmarks/bench_scale.py
	.venv/bin/python benchmarks/bench_web.py

lock:
	.venv/bin/uv pip compile pyproject.toml --extra dev --extra spark -o requirements.lock --python-version 3.11
