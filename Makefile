# Ganbu — two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run portcheck test lint typecheck importlint pytest browser bench install install-dev migrate demo clean help

help:
	@echo "make run    安装、迁移 SQLite 数据库、载入示例县并在 http://$(HOST):$(PORT)/ 启动（含后台处理程序）"
	@echo "           端口被占用时换一个：make run PORT=8001"
	@echo "make test   安装测试依赖并运行全部检查与测试"
	@echo "make bench  运行性能基准"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	@mkdir -p var
	$(BIN)/ganbu migrate

demo: migrate
	$(BIN)/ganbu demo --if-empty --site-url http://$(HOST):$(PORT)

# The port is checked first, with the system Python and before the virtual environment exists, so
# that a busy port is reported at once, not after installing, migrating and loading the demo.
portcheck:
	@$(PYTHON) ganbu/portcheck.py --host $(HOST) --port $(PORT)

run: portcheck
	@$(MAKE) --no-print-directory demo
	$(BIN)/ganbu accounts
	$(BIN)/ganbu serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy ganbu config

importlint: install-dev
	$(BIN)/lint-imports

# The suite runs on two worker processes (pytest-xdist), one test file per worker at a time so that
# a file's fixtures (the demo county) are built once; each worker has its own test database.
# `make pytest PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= 2
pytest: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint importlint typecheck pytest

browser: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -q -m browser $(PYTEST_ARGS)

# The benchmark of record (docs/benchmarks.md), e.g.
#   make bench BENCH_ARGS="--cadres 10000,100000,500000 --database postgres://postgres@127.0.0.1:5432/ganbu --output docs/benchmarks.md"
BENCH_ARGS ?=
bench: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m ganbu.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache test-artifacts
