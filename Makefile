# The two commands of the README: `make build` and `make test` (each runs the set-up first).
.PHONY: setup build test bench lint messages

setup:
	@scripts/setup.sh

build: setup
	disclosure build

test: setup
	python3 -m pytest

bench: setup
	python3 bench/run.py

lint: setup
	ruff check compiler tests bench

# After adding or changing a message in the code: its msgid into the Chinese catalogue
# (then write the Chinese in compiler/locale/zh_CN/LC_MESSAGES/disclosure.po), and the .mo.
messages: setup
	python3 scripts/messages.py update
	python3 scripts/messages.py compile
