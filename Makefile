# Every target CI and the README name. `make test` and `make serve` install what they need first.
PY      := .venv/bin/python
VENV    := .venv/.installed
NODE    := node_modules/.installed
SCHEMA  ?= schema.prisma

.PHONY: install generate check-generated lint typecheck test serve seed push bench clean

install: $(VENV) $(NODE)

$(VENV): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: install
	$(PY) -m orm generate --schema $(SCHEMA)
	$(PY) -m orm generate --schema tests/orm/schema.prisma

check-generated: install
	$(PY) -m orm check-generated --schema $(SCHEMA) --schema tests/orm/schema.prisma

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/pyright

test: install
	$(PY) -m pytest

push: install
	$(PY) -m orm db push --schema $(SCHEMA)

seed: install
	$(PY) -m seed --scale small

serve: install
	$(PY) -m api

bench: install
	$(PY) bench/orm.py
	$(PY) bench/api.py

clean:
	rm -rf .venv node_modules .pytest_cache .ruff_cache
