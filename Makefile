# Two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
OKG := $(VENV)/bin/okg
STAMP := $(VENV)/.installed
DEMO_STORE ?= .okg
OUT ?= out

.PHONY: demo test lint format install clean bench

$(STAMP): pyproject.toml setup.py
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_STORE) $(OUT)
	@echo "== 1. Build the knowledge graph from the bundled data pack (statistics follow)"
	$(OKG) build --store $(DEMO_STORE)
	@echo "== 2. Check it: HermiT consistency, SHACL shapes, conflicting claims"
	if command -v java >/dev/null 2>&1; then $(OKG) check --store $(DEMO_STORE); else echo "HermiT reasoner skipped: no Java on this machine (install a Java runtime to run it)"; $(OKG) check --no-reasoner --store $(DEMO_STORE); fi
	@echo "== 3. Canned queries"
	$(OKG) query --list --store $(DEMO_STORE)
	$(OKG) query regulation-exposure --store $(DEMO_STORE)
	$(OKG) query relocations --store $(DEMO_STORE) --param from=BE --param to=MA
	$(OKG) query who-serves-client --store $(DEMO_STORE) --param client=totalenergies --lang ar
	@echo "== 4. Impact of both seed events"
	$(OKG) impact --list --store $(DEMO_STORE)
	$(OKG) impact total-relocation --as-of 2026-02-01 --store $(DEMO_STORE)
	$(OKG) impact fr-ban-vote --as-of 2026-09-01 --store $(DEMO_STORE)
	@echo "== 4a. The cross-sector example: made up to show the model, so traced only on request and marked"
	$(OKG) impact eurocar-plant-stoppage --as-of 2026-03-10 --include-illustrative --store $(DEMO_STORE)
	@echo "== 4b. Market concentration, single points of failure, most exposed countries and sectors"
	$(OKG) analyze --as-of 2026-09-01 --top 10 --store $(DEMO_STORE)
	@echo "== 5. Network and report pages (offline HTML)"
	mkdir -p $(OUT)
	$(OKG) viz --store $(DEMO_STORE) --out $(OUT)/network.html
	$(OKG) viz --store $(DEMO_STORE) --event total-relocation --out $(OUT)/network-total-relocation.html
	$(OKG) report total-relocation --as-of 2026-02-01 --store $(DEMO_STORE) --out $(OUT)/report-total-relocation.html
	$(OKG) viz --store $(DEMO_STORE) --event fr-ban-vote --out $(OUT)/network-fr-ban-vote.html
	$(OKG) report fr-ban-vote --as-of 2026-09-01 --store $(DEMO_STORE) --out $(OUT)/report-fr-ban-vote.html

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .okg $(OUT) build dist *.egg-info
