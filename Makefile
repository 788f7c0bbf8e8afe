# Shortcuts for everyday work. bin/run and bin/test set up .venv themselves; the other targets
# reuse it (and create it with the dev tools if it is missing).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.install-stamp

.PHONY: run test lint fmt migrations-check messages bench venv

run:
	bin/run

test:
	bin/test

# Same stamp as bin/run and bin/test: "<sha256 of pyproject.toml> dev"; reinstall when it differs.
venv:
	@want="$$(sha256sum pyproject.toml | cut -d' ' -f1) dev"; \
	if [ "$$(cat $(STAMP) 2>/dev/null)" != "$$want" ]; then \
		echo "==> Installing clustercollab with its dev tools into $(VENV)"; \
		test -x $(PY) || python3 -m venv $(VENV) || exit 1; \
		$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]' || exit 1; \
		echo "$$want" > $(STAMP); \
	fi

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

# The project catalogue (clustercollab/locale) holds core, accounts, organisations and the shared
# templates; an app with its own locale/ directory keeps its own catalogue.
APP_CATALOGUES := $(patsubst %/locale,%,$(wildcard clustercollab/*/locale))
MAKEMESSAGES := makemessages -l de -l fi -l fr --no-obsolete

messages: venv
	mkdir -p clustercollab/locale
	$(PY) manage.py $(MAKEMESSAGES) --ignore=.venv --ignore=var --ignore=node_modules \
		$(foreach app,$(APP_CATALOGUES),--ignore=$(app))
	for app in $(APP_CATALOGUES); do \
		(cd $$app && $(abspath $(PY)) $(CURDIR)/manage.py $(MAKEMESSAGES)) || exit 1; \
	done
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

bench: venv
	$(PY) bench/run.py
