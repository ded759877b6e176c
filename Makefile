# Two commands do everything on a fresh machine:
#   make run    set up, migrate, load demo data, run web (http://127.0.0.1:5000) + scheduler
#   make test   set up and run the whole test suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | md5sum | cut -c1-12)
export FLASK_APP := wsgi:app

.PHONY: run test perf install chromium wrk scheduler screenshots screenshots-languages clean translations translations-extract translations-update

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Translations (Flask-Babel). The .po catalogues are committed; the .mo files are built here.
#   make translations-extract   templates and code -> advocacy/translations/messages.pot
#   make translations-update    merge the .pot into every language's .po (new strings appear untranslated)
#   make translations           compile the .po files into .mo (run, test and perf do this)
POT ?= advocacy/translations/messages.pot
translations: install
	$(BIN)/python -m advocacy.i18n

translations-extract: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 \
	  --no-location --sort-output -o $(POT) .

translations-update: translations-extract
	$(BIN)/pybabel -q update -i $(POT) -d advocacy/translations --no-fuzzy-matching --ignore-obsolete

# Debian's chromium, for the browser tests (Playwright drives it; no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's wrk, the load tool of tests/perf/test_load_perf.py.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing Debian's wrk for the load benchmark"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; fi; }

run: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --if-empty
	@echo "Scheduler (plan + deliver reminders) starts beside the web server; mail goes to instance/mail/."
	$(BIN)/flask scheduler & SCHED=$$!; trap "kill $$SCHED 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/flask run --host 127.0.0.1 --port 5000

scheduler: install translations
	$(BIN)/flask scheduler

test: install chromium translations
	TEST_DATABASE_URL= $(BIN)/pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
	  $(BIN)/pytest -q; \
	else echo "(TEST_DATABASE_URL not set: PostgreSQL run skipped)"; fi

perf: install wrk translations
	$(BIN)/pytest -q -s tests/perf -m perf

screenshots: install chromium
	$(BIN)/python tests/e2e/screenshots.py

# issue 20: portal, invitation, letter page and mails at 390 px in de, fr, pl, lt (make run going)
screenshots-languages: install chromium translations
	$(BIN)/python tests/e2e/screenshots_languages.py

clean:
	rm -rf $(VENV) instance
