# The two commands a newcomer needs are `make run` and `make test`; the rest are their parts.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
comma := ,
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# uv installs the environment. Use the one on PATH, or install it for this user once.
UV ?= $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

# uv finds Python 3.13 on PATH; pyenv keeps its versions off PATH unless selected, so point
# uv at pyenv's 3.13 when there is one and nobody chose another.
ifeq ($(origin UV_PYTHON),undefined)
PYENV_PYTHON := $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13))
ifneq ($(PYENV_PYTHON),)
export UV_PYTHON := $(PYENV_PYTHON)
endif
endif
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help
help: ## List the targets.
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

.PHONY: install
install: ## Create or update .venv from uv.lock.
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet --compile-bytecode

.PHONY: messages
messages: install ## Compile the translations (.po to .mo).
	@$(VENV)/bin/pybabel --quiet compile --domain django --directory locale --statistics 2>&1 | grep -v "^$$" || true

.PHONY: migrate
migrate: install ## Start the database if embedded, and apply migrations.
	@$(MANAGE) migrate --no-input

.PHONY: demo
demo: migrate ## Load the demo data when the database has no postings yet.
	@$(MANAGE) seed_demo --if-empty

.PHONY: static
static: install ## Collect static files with content-hashed names.
	@DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-collectstatic-only} $(MANAGE) collectstatic --no-input --verbosity 0

# The development settings (DJANGO_DEBUG=1, a secret key of its own), git-ignored: commands
# typed in a new shell read them too (config/envfile.py says when settings read this file).
.env:
	@$(PY) -m config.envfile .env

.PHONY: run
# Development mode for run and everything it depends on, unless the caller chose otherwise.
run: export DJANGO_DEBUG ?= 1
run: install .env messages demo ## Serve http://127.0.0.1:$(PORT) with a Celery worker and beat (Procfile); Ctrl-C stops all three.
	$(VENV)/bin/honcho --procfile Procfile start --port $(PORT)

.PHONY: manage
manage: install ## Run a manage.py command as development does: make manage ARGS="check".
	$(MANAGE) $(ARGS)

node_modules: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel error
	@touch node_modules

.PHONY: test
test: messages static node_modules ## Run the whole test suite.
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

.PHONY: audit
audit: messages static node_modules ## Lighthouse on every candidate page in every language.
	$(PY) -m pytest -p no:xdist -m lighthouse -s tests/browser/test_lighthouse.py

.PHONY: bench-faults
bench-faults: messages ## 60 s of mixed load on gunicorn: plain, with a PostgreSQL restart, during an import.
	$(PY) bench/load.py --seconds $${BENCH_SECONDS:-60}
	$(PY) bench/load.py --seconds $${BENCH_SECONDS:-60} --restart-db
	$(PY) bench/load.py --seconds $${BENCH_SECONDS:-60} --with-import $${BENCH_IMPORT:-5000}

.PHONY: lint
lint: install ## ruff, djLint and a check that no migration is missing.
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# Every queue by default (development); in production one worker per kind of queue:
# `make worker QUEUES=imports`, `QUEUES=emails`, `QUEUES=maintenance,celery` (README, "Deployment").
QUEUES ?= celery,imports,emails,maintenance

.PHONY: worker
worker: install ## Run a Celery worker on QUEUES (default all).
	$(VENV)/bin/celery --app config worker --loglevel INFO --queues $(QUEUES) --hostname $(subst $(comma),-,$(QUEUES))@%h

.PHONY: beat
beat: install ## Run Celery beat with the schedules staff edit in admin; once.
	$(VENV)/bin/celery --app config beat --loglevel INFO --scheduler config.beat:SingleBeatScheduler

.PHONY: makemessages
makemessages: install ## Extract new strings into the .po files (needs GNU gettext).
	DJANGO_DEBUG=1 $(MANAGE) makemessages --locale fr --locale de --locale es --locale pt_BR --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" --ignore "tests/*" --ignore "node_modules/*"

.PHONY: db-stop
db-stop: install ## Stop the embedded PostgreSQL.
	$(PY) -c "from pathlib import Path; from config.embedded_db import stop; stop(Path('.data/pg'))"

.PHONY: redis-stop
redis-stop: install ## Stop the embedded Valkey (the cache and broker when REDIS_URL is unset).
	$(PY) -c "from pathlib import Path; from config.embedded_redis import stop; stop(Path('.data/valkey'))"

.PHONY: bench
bench: install ## Benchmark pages and imports at BENCH_POSTINGS postings (default 1,000,000), then the faults.
	@# Stdout is the one JSON document: the fault runs report on stderr, as progress does.
	@$(PY) -m bench.run
	@$(MAKE) --no-print-directory bench-faults >&2
