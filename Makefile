# The two commands of the README: `make run` (ingest the bundled corpus) and `make test`.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180

.PHONY: install run test lint bench score clean fixtures

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' --config-settings editable_mode=compat
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/evidence ingest corpus/
	$(BIN)/evidence report --out warehouse/report.html
	$(BIN)/evidence pool --outcome response_rate --out warehouse

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check schemas warehouse flows pooling report

score: install
	$(BIN)/python ../shared/eval/score.py ../shared/gold/seeds.json --docs corpus --cmd "$(BIN)/evidence extract {path} --format json"

bench: install
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/pool.py

fixtures:  ## metafor reference fits; needs apt-get install -y r-base-core r-cran-metafor
	Rscript bench/metafor_reference.R tests/fixtures/metafor

clean:
	rm -rf $(VENV) warehouse/evidence.duckdb warehouse/evidence.duckdb.wal .pytest_cache warehouse/report.html warehouse/forest_* warehouse/export
