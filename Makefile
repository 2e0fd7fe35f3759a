# The two commands a newcomer runs: `make serve` and `make test`.
# Every install step lives here, so a clean checkout (and CI) needs nothing else.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The browser tests' Chromium: Debian's headless shell, the headless Chromium Playwright
# itself runs (a page costs a third of the CPU the full browser's does, measured: most of
# the suite's time), else Debian's full Chromium where that is all the machine has.
CHROMIUM ?= $(firstword $(wildcard /usr/bin/chromium-headless-shell) $(wildcard /usr/bin/chromium) \
	/usr/bin/chromium-headless-shell)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test test-clock build check schema chromium faketime poppler clean

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

check: $(VENV)/.installed
	$(BIN)/briefgen check

# The schemas editors read (see the first line of a case study); a test keeps them current.
schema: $(VENV)/.installed
	$(BIN)/briefgen schema case-study > schema/case-study.schema.json
	$(BIN)/briefgen schema briefing > schema/briefing.schema.json
	$(BIN)/briefgen schema glossary > schema/glossary.schema.json

# pytest on WORKERS processes (pytest-xdist): they share the session's built sites and
# PDFs (tests/conftest.py), and one's builds fill the time the other's browser waits. A
# worker that runs out of tests takes some of the other's (worksteal), so neither sits
# idle through the last long tests.
WORKERS ?= 2
test: $(VENV)/.installed-test chromium poppler
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	BRIEFGEN_CHROMIUM="$(CHROMIUM)" $(BIN)/pytest -n $(WORKERS) --dist worksteal

# The suite with the machine's clock moved (faketime offsets: AHEAD="+1y +5y +10y" by
# default, or such as AHEAD=-30d): no test may pass only on the day it was written. One
# test is left out: under libfaketime, serve's file watcher never polls (its timed waits
# never end) whatever the date, so it cannot say anything about dates there.
AHEAD ?= +1y +5y +10y
test-clock: $(VENV)/.installed-test chromium poppler faketime
	@for ahead in $(AHEAD); do \
		echo "The suite with the clock at $$ahead"; \
		BRIEFGEN_CHROMIUM="$(CHROMIUM)" faketime -f "$$ahead" $(BIN)/pytest -q \
			--deselect tests/browser/test_serve.py::test_serve_rebuilds_when_a_case_study_changes \
			|| exit 1; \
	done

# The tests read PDFs as a reader's viewer does, with poppler's pdftotext (its text in
# reading order, twenty times faster than reading it in Python).
poppler:
	@command -v pdftotext >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
		elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
		else \
			echo "pdftotext is missing: install poppler ('sudo apt-get install poppler-utils', 'brew install poppler')." >&2; \
			exit 1; \
		fi; \
	}

faketime:
	@command -v faketime >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime; \
		else \
			echo "faketime is missing: install it ('sudo apt-get install faketime', 'brew install libfaketime')." >&2; \
			exit 1; \
		fi; \
	}

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "briefgen needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The browser tests drive the Chromium (or Chrome) at $(CHROMIUM). As root on Debian this
# installs Debian's; anywhere else it names the ways to get one, with the paths found on
# this machine. Ubuntu's apt-get chromium is only a stub for the snap, so it is not tried.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && $(IS_DEBIAN); then \
		echo "Installing Debian's chromium-headless-shell for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; \
	else \
		{ \
		echo "The browser tests need Chromium or Chrome, and there is none at $(CHROMIUM)."; \
		echo "Any of these gives them one (README.md, Development, says more):"; \
		for found in /usr/bin/google-chrome /snap/bin/chromium "$(MAC_CHROME)"; do \
			if [ -x "$$found" ]; then echo "  make test CHROMIUM=\"$$found\""; fi; \
		done; \
		own=$$($(BIN)/python -c "$(PLAYWRIGHT_CHROMIUM)" 2>/dev/null); \
		if [ -x "$$own" ]; then \
			echo "  make test CHROMIUM=\"$$own\"   # Playwright's own Chromium"; \
		else \
			echo "  $(BIN)/python -m playwright install chromium   # Playwright's own Chromium, then"; \
			echo "  make test CHROMIUM=\"$${own:-<the path make chromium names once it is there>}\""; \
		fi; \
		if $(IS_DEBIAN); then echo "  sudo apt-get install chromium-headless-shell   # then: make test"; fi; \
		} >&2; \
		exit 1; \
	fi

IS_DEBIAN := grep -Eqx 'ID="?debian"?' /etc/os-release 2>/dev/null
MAC_CHROME := /Applications/Google Chrome.app/Contents/MacOS/Google Chrome
PLAYWRIGHT_CHROMIUM := from playwright.sync_api import sync_playwright; \
	print(sync_playwright().start().chromium.executable_path)

clean:
	rm -rf site .pytest_cache

# The suite at both ends of what pyproject.toml allows, each in a virtualenv of its own,
# made afresh each time: the lowest releases (constraints/lowest.txt) and the newest.
# CI runs these on Python 3.11 to 3.13 (.github/workflows/versions.yml); `make test` is
# the everyday run.
.PHONY: test-lowest test-newest test-properdocs

test-lowest: chromium poppler
	$(call fresh-venv,.venv-lowest)
	.venv-lowest/bin/pip install --quiet -c constraints/lowest.txt -e '.[test]'
	BRIEFGEN_CHROMIUM="$(CHROMIUM)" .venv-lowest/bin/pytest

test-newest: chromium poppler
	$(call fresh-venv,.venv-newest)
	.venv-newest/bin/pip install --quiet --upgrade -e '.[test]'
	BRIEFGEN_CHROMIUM="$(CHROMIUM)" .venv-newest/bin/pytest

# ProperDocs, the maintained fork of MkDocs 1.x, in place of MkDocs. It installs as the
# `properdocs` module and command, and its command makes `import mkdocs...` import it
# instead. Material requires mkdocs, so it is removed after the install; a .pth line
# makes every Python here alias as that command does, and `mkdocs` runs `properdocs`.
test-properdocs: chromium poppler
	$(call fresh-venv,.venv-properdocs)
	.venv-properdocs/bin/pip install --quiet --upgrade -e '.[test]' properdocs
	.venv-properdocs/bin/pip uninstall --quiet --yes mkdocs
	echo 'import properdocs.replacement' > "$$(.venv-properdocs/bin/python -c \
		'import sysconfig; print(sysconfig.get_paths()["purelib"])')/properdocs_as_mkdocs.pth"
	ln -sf properdocs .venv-properdocs/bin/mkdocs
	BRIEFGEN_CHROMIUM="$(CHROMIUM)" .venv-properdocs/bin/pytest

define fresh-venv
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "briefgen needs Python 3.11 or newer: run 'make PYTHON=python3.11 ...'" >&2; exit 1; }
	rm -rf $(1)
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip
endef
