# The two commands of the README: `make build` and `make test` (each runs the set-up first).
.PHONY: setup build test bench lint

setup:
	@scripts/setup.sh

build: setup
	disclosure build 2022

test: setup
	python3 -m pytest

bench: setup
	python3 bench/run.py

lint: setup
	ruff check compiler tests bench
