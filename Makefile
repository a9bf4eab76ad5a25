# Taggarr without Docker: `make run` starts everything, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test test-fast image-test lint check docs bench clean install install-dev install-listen messages messages-update screenshots

# The translations' compiled catalogs (.mo), built from the .po files in pure Python
# (Babel: no GNU gettext needed) and never committed; all seven take well under a second.
messages: $(VENV)/.runtime
	$(PY) scripts/compile_messages.py

# After marking new strings: every catalog gets them (untranslated) and loses those the
# code no longer has; then translate them (docs/languages.md, "Translations").
messages-update: $(VENV)/.runtime
	$(PY) scripts/messages.py

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Taggarr needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	@touch $@

# The optional listening extra (docs/listening.md): faster-whisper identifies the spoken
# language of audio tracks without a label. `make install-listen`, or `make run LISTEN=1`.
$(VENV)/.listen: $(VENV)/.runtime requirements-listen.txt
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-listen.txt
	@touch $@

# The docs site's tools (mkdocs and its Material theme), pinned in requirements-docs.txt.
$(VENV)/.docs: $(VENV)/.runtime requirements-docs.txt
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-docs.txt
	@touch $@

install: $(VENV)/.runtime messages
install-dev: $(VENV)/.dev messages
install-listen: $(VENV)/.listen

# Web, worker and beat (the Procfile: the Docker image's commands) on the embedded
# defaults (SQLite, no broker server) unless DATABASE_URL / REDIS_URL are set. Plain HTTP
# on HOST:PORT, so no HTTPS redirect. A taken port stops it first, before the database
# is migrated or anything starts, and so does a data dir another `make run` holds
# (scripts/data_lock.py keeps it locked from the migration to the last process's end).
# Ctrl-C stops all three; so does one of them ending. A first start's generated admin
# password is the last thing printed before them, in a box, and is in the data dir's
# admin-password.txt (0600) too.
HOST ?= 127.0.0.1
PORT ?= 8000
run: export TAGGARR_HTTPS ?= false
run: export TAGGARR_BIND = $(HOST):$(PORT)
# The worker and beat start again when they exit (docker/entrypoint.sh), as compose's
# restart: does: an exit of one process must not take web down with it (honcho).
run: export TAGGARR_RESTART_ON_EXIT = 1
LISTEN ?=
run: $(VENV)/.runtime messages $(if $(LISTEN),$(VENV)/.listen)
	@$(if $(LISTEN),,echo "Listening to audio tracks is off; make run LISTEN=1 installs it (docs/listening.md)")
	$(PY) scripts/check_bind.py $(HOST):$(PORT)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) scripts/data_lock.py $(HOST):$(PORT) sh -c '\
	  echo "Taggarr starts at http://$(HOST):$(PORT)/ (Ctrl-C stops it)" && \
	  exec sh docker/entrypoint.sh stack'


# Everything the tests need comes from PyPI (ffmpeg from the imageio-ffmpeg wheel),
# except Debian's packages that scripts/ensure-packages installs: the browser tests'
# Chromium and ChromeDriver, the default-track tests' MKVToolNix (mkvmerge, mkvpropedit).
# `make test-fast` leaves out real workers and the browser, and runs on every core.
# `make test` runs TEST_WORKERS test processes, three per core: its slow tests wait on
# other processes (a real Celery worker, Chromium, a command in a subprocess) between
# bursts of work, and a third process a core fills those gaps (on 2 cores: 13 min
# against 16 with two a core, the same tests passing; bench/RESULTS.md). They run first,
# handed out two at a time so that every process takes the next one when it is free
# (tests/slow_first.py). Python writes its bytecode caches for the tests (the
# assertion-rewritten test modules, seconds of each process's collection) also where
# PYTHONDONTWRITEBYTECODE is set.
PYTEST_ARGS ?=
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 2) * 3 )))
test: $(VENV)/.dev messages
	@scripts/ensure-packages
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(TEST_WORKERS) --maxschedchunk 2 $(PYTEST_ARGS)

test-fast: $(VENV)/.dev messages
	@scripts/ensure-packages mkvtoolnix
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n auto -m "not worker and not browser" $(PYTEST_ARGS)

# The Docker image checked in one command, as a user runs it (scripts/image_test.py):
# a daemon (Debian's docker.io started if none runs), the base image (a stand-in built
# when it cannot be pulled), the build, `docker run` as docs/install.md says, a scan of
# a small library folder, /config's owners and modes, `docker stop` ending with 0, a
# restart. Needs root where no daemon runs; not in .ci/run (docs/development.md).
image-test: $(VENV)/.dev
	$(PY) scripts/image_test.py

# The README's screenshots (docs/screenshots/*.png), taken in headless Chromium from the
# browser tests' seeded library: tests/browser/test_readme_screenshots.py.
screenshots: $(VENV)/.dev messages
	@scripts/ensure-packages chromium chromium-driver
	TAGGARR_README_SCREENSHOTS=1 $(PY) -m pytest -p no:xdist tests/browser/test_readme_screenshots.py

# The type checker reads the packages pyproject.toml's [tool.mypy] lists, with Django's
# settings loaded (django-stubs), as `make check` does.
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# The docs site (mkdocs.yml: docs/, by what a person does) into site/ (git-ignored),
# strictly: a broken link or anchor, or a page missing from the nav, fails it.
docs: $(VENV)/.docs
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

check: $(VENV)/.dev
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	TAGGARR_DEBUG=false TAGGARR_HTTPS=true $(PY) manage.py check --deploy --fail-level WARNING

# The whole system at 2,000 series x 15 episodes + 500 movies against the MediaInfo floor,
# on local disk and on a FUSE share (needs PostgreSQL, Redis, /dev/fuse, fuse3 and libfuse3-dev,
# see bench/README.md); appends to bench/RESULTS.md.
bench: $(VENV)/.dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles site .pytest_cache .ruff_cache
