# Every target CI and the README name. `make test` and `make serve` install what they need first.
PY      := .venv/bin/python
VENV    := .venv/.installed
NODE    := node_modules/.installed
SCHEMA  ?= schema.prisma

.PHONY: install generate check-generated lint typecheck test fuzz-compiled serve seed push bench bench-api bench-scale soak topology clean graphiql-assets app-assets screenshots

install: $(VENV) $(NODE)

$(VENV): pyproject.toml packages/orm/pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --config-settings editable_mode=compat -e ./packages/orm -e '.[dev]'
	touch $@

$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

generate: install
	$(PY) -m orm generate --schema $(SCHEMA)
	$(PY) -m orm generate --schema tests/orm/schema.prisma
	$(PY) -m orm generate --schema tests/orm/conformance/schema.prisma

check-generated: install
	$(PY) -m orm check-generated --schema $(SCHEMA) --schema tests/orm/schema.prisma \
	  --schema tests/orm/conformance/schema.prisma

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: install
	.venv/bin/pyright

test: install
	$(PY) -m pytest

# The differential suite's generated queries, many more of them and with a random seed.
fuzz-compiled: install
	COMPILED_FUZZ_EXAMPLES=$${COMPILED_FUZZ_EXAMPLES:-5000} $(PY) -m pytest tests/compiled/test_generated.py -q

push: install
	$(PY) -m orm db push --schema $(SCHEMA)

seed: install
	$(PY) -m seed --scale small

serve: install
	$(PY) -m api

# A primary, 2 streaming replicas, PgBouncer, Redis and 2 API processes on loopback (scale/);
# prints their URLs and runs until Ctrl-C, which tears it all down.
topology: install
	$(PY) -m scale $(TOPOLOGY_ARGS)

# This API against PostGraphile 5 on a medium-seeded database (made on first use; Node 22 and
# PostGraphile go into .bench-peer/, wrk from apt). BENCH_ARGS="--seconds 10 --cases nested".
bench-scale: install
	$(PY) -m bench.scale $(BENCH_ARGS)

bench: install
	$(PY) bench/orm.py
	$(PY) -m bench.peer $(BENCH_ARGS)

# Operations at 1 and 2 workers, cold, warm and mixed (DATABASE_URL: a seeded database).
bench-api: install
	$(PY) -m bench.api

# Not in CI: SOAK_SECONDS (600) of mixed reads and writes by SOAK_VIEWERS (6) viewers through
# SOAK_WORKERS (2) API processes while Redis stalls and restarts and PostgreSQL backends are
# killed, then SQL checks (README, Operations). SOAK_DATABASE_URL defaults to TEST_DATABASE_URL.
soak: install
	$(PY) -m bench.soak

# Re-vendor GraphiQL into api/static/graphiql (committed, so serving needs no Node or CDN).
GRAPHIQL_VERSION ?= 3.8.3
REACT_VERSION    ?= 18.3.1
graphiql-assets:
	rm -rf .graphiql-tmp && mkdir -p .graphiql-tmp
	cd .graphiql-tmp && npm pack --silent graphiql@$(GRAPHIQL_VERSION) react@$(REACT_VERSION) react-dom@$(REACT_VERSION) >/dev/null
	cd .graphiql-tmp && for f in *.tgz; do mkdir -p "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	cp .graphiql-tmp/graphiql-$(GRAPHIQL_VERSION)/package/graphiql.min.js .graphiql-tmp/graphiql-$(GRAPHIQL_VERSION)/package/graphiql.min.css api/static/graphiql/
	cp .graphiql-tmp/react-$(REACT_VERSION)/package/umd/react.production.min.js api/static/graphiql/
	cp .graphiql-tmp/react-dom-$(REACT_VERSION)/package/umd/react-dom.production.min.js api/static/graphiql/
	sed -i '/^\/\/# sourceMappingURL=/d' api/static/graphiql/graphiql.min.js
	sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' api/static/graphiql/graphiql.min.css
	rm -rf .graphiql-tmp

# The README's pictures (docs/screenshots): seeds a scratch schema, serves it, drives Chromium.
screenshots: install
	$(PY) -m tests.api.make_screenshots

# Re-vendor uPlot, the dashboard page's chart library, into api/static/app (committed, no CDN).
UPLOT_VERSION ?= 1.6.32
app-assets:
	rm -rf .uplot-tmp && mkdir -p .uplot-tmp
	cd .uplot-tmp && npm pack --silent uplot@$(UPLOT_VERSION) >/dev/null && tar xzf uplot-$(UPLOT_VERSION).tgz
	cp .uplot-tmp/package/dist/uPlot.iife.min.js .uplot-tmp/package/dist/uPlot.min.css api/static/app/
	cp .uplot-tmp/package/LICENSE api/static/app/uPlot.LICENSE
	rm -rf .uplot-tmp

clean:
	rm -rf .venv node_modules .pytest_cache .ruff_cache
