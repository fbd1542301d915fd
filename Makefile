# Everyday commands. Dependencies come from pyproject.toml; the virtualenv lives in .venv.
#   make install            create .venv and install '.[dev]' (again only when pyproject.toml changes), and the
#                           browser libraries of package-lock.json with npm ci --omit=dev (again only when it changes)
#   make run [PORT=8123]    migrate, load demo data once, run web + Celery worker + beat; Ctrl-C stops all
#   make test [ARGS=...]    pytest on throwaway PostgreSQL + Redis when installed, else SQLite; first installs the
#                           npm devDependencies too (Lighthouse, tests/e2e/test_lighthouse.py)
#   make lint               ruff check and ruff format --check
#   make bench              benchmarks (bench/run.py)

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-from-pyproject
NODE_STAMP := node_modules/.installed-from-lock
# The stamps live inside node_modules: npm ci empties it, so a reinstall of either kind drops both.
NODE_DEV_STAMP := node_modules/.installed-from-lock-with-dev
PORT ?= 8000
ARGS ?=

.PHONY: install run test lint format bench clean-venv

install: $(STAMP) $(NODE_STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install '.[dev]'
	@# setuptools leaves build litter in the tree; the project itself is run from the source tree.
	rm -rf build metodportal.egg-info
	touch $@

# The portal serves only the runtime libraries (dependencies); the test tools (devDependencies) are for make test.
$(NODE_STAMP): package-lock.json
	npm ci --omit=dev --no-audit --no-fund
	touch $@

$(NODE_DEV_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP) $@

run: install
	$(PY) scripts/run_dev.py --port $(PORT)

test: $(STAMP) $(NODE_DEV_STAMP)
	$(PY) scripts/test_services.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) bench/run.py $(ARGS)

clean-venv:
	rm -rf $(VENV)
