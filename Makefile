# The README's commands. Each target sets up what it needs from the pinned files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint geo bench load validate clean serve bundle system-deps publish

# A stamp per requirements file: reinstall only when the pins change.
$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's chromium, fonts-noto-cjk and nginx for the browser tests, bench and replicas:
# installed when missing (as root or through sudo -n), else one line says how.
system-deps:
	$(PYTHON) -m deploy.system_deps

run: $(VENV)/.runtime
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT)

# REPLICAS app processes on ports PORT+1.. behind nginx on localhost:PORT (default 8080;
# a PORT given on the command line or in the environment wins). Ctrl-C stops them all.
REPLICAS ?= 2
SERVE_PORT = $(if $(filter file,$(origin PORT)),8080,$(PORT))
serve: $(VENV)/.runtime system-deps
	$(PY) -m deploy.serve --port $(SERVE_PORT) --replicas $(REPLICAS)

# dist/china-ai-provinces-<version>.tar.gz: source, data and a wheelhouse for this
# platform and Python; unpack, ./install.sh, ./run.sh on a machine with no index.
bundle: $(VENV)/.runtime
	PY=$(PY) bash deploy/bundle.sh

# site/: the published edition, static pages in both languages with relative links only
# (open site/index.html from any folder, or copy it to any web server); rerun after a data edit.
publish: $(VENV)/.runtime
	$(PY) -m dashboard.publish --data $(or $(DATA_DIR),data) --out site

validate: $(VENV)/.runtime
	$(PY) -m dashboard.validate $(or $(DATA_DIR),data)

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint system-deps
	$(PY) -m pytest

geo: $(VENV)/.dev
	$(PY) geo/build.py
	$(PY) geo/places.py
	$(PY) -m dashboard.boundaries

bench: $(VENV)/.dev system-deps
	$(PY) -m bench.run

load: $(VENV)/.dev system-deps
	$(PY) -m bench.load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/artifacts bench/out site
