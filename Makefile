# Everything a fresh machine with Python 3.11 and make needs: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB := demo/followup.db
DEMO_TODAY := 2026-11-24

.PHONY: demo test lint format quick-table bench bench-team clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo && mkdir -p demo
	FOLLOWUP_DB=$(DEMO_DB) FOLLOWUP_TODAY=$(DEMO_TODAY) sh examples/demo.sh $(BIN)/followup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The fast path's option table, read off the Typer commands; tests/test_quick.py fails
# until it is regenerated after an option changes.
quick-table: $(STAMP)
	$(BIN)/python -m followup_cli.cli.quick_build
	$(BIN)/ruff format --quiet src/followup_cli/cli/quick_table.py

# sshd for the SFTP team storage test (Debian's package, as root); the test skips without it.
test: lint
	@command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install \
		-y -qq openssh-server >/dev/null 2>&1; } || echo "sshd cannot be installed here: the SFTP test is skipped"
	$(BIN)/python -m pytest

# taskwarrior runs beside followup when it can be installed (Debian's package, as root).
bench: $(STAMP)
	@command -v task >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq taskwarrior >/dev/null; } \
		|| echo "taskwarrior is not installed and cannot be here: its line is skipped"
	$(BIN)/python bench/bench.py

# `team pull` of 10 reps with 10,000 customers each, and the lag of a `log` while replicating.
bench-team: $(STAMP)
	$(BIN)/python bench/team_bench.py

clean:
	rm -rf $(VENV) demo bench/out
