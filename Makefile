# The two commands of the README: `make build` and `make test` (each runs the set-up first).
# Everything runs in .venv, which set-up fills from requirements/lock.txt only.
.PHONY: setup build test test-fast bench lint lock messages

VENV := .venv/bin
# The tools the tests start by name (disclosure, pre-commit, actionlint…) are those of .venv.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
# Every core; tests marked xdist_group(name) kept in one worker (they share what is costly
# to make); Hypothesis derandomised, its examples database ignored (the "ci" profile).
PYTEST := $(VENV)/python -m pytest -n auto --dist loadgroup -p no:cacheprovider --hypothesis-profile=ci

setup:
	@scripts/setup.sh

build: setup
	$(VENV)/disclosure build

test: setup
	$(PYTEST)

# The edit-test loop: no PDF laid out, no browser started (tests marked slow).
test-fast: setup
	$(PYTEST) -m "not slow"

bench: setup
	$(VENV)/python bench/run.py

lint: setup
	$(VENV)/ruff check compiler tests bench scripts
	$(VENV)/ruff format --check compiler tests bench scripts

# Newer releases on purpose: re-resolve every pin (a commit of its own, after make test).
lock: setup
	LOCK_UPGRADE=1 scripts/lock.sh

# After adding or changing a message in the code: its msgid into the Chinese catalogue
# (then write the Chinese in compiler/locale/zh_CN/LC_MESSAGES/disclosure.po), and the .mo.
messages: setup
	$(VENV)/python scripts/messages.py update
	$(VENV)/python scripts/messages.py compile
