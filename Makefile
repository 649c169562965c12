# The two commands a user needs: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export RAY_USAGE_STATS_ENABLED := 0

.PHONY: install demo test bench clean

install: $(BIN)/syndeid

# torch first, from its pinned CPU wheel, so nothing can pull a newer CUDA build.
$(BIN)/syndeid: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt torch
	$(BIN)/pip install -q -c constraints.txt -e ".[test]"
	touch $@

demo: install
	$(BIN)/syndeid synthesize examples/letters.jsonl demo-output --seed 7
	@echo "Synthetic letters: demo-output/letters/  (errors: demo-output/errors.parquet, summary: demo-output/summary.json)"

test: install
	$(BIN)/python -m pytest -q tests

bench: install
	$(BIN)/python benchmarks/run.py --quick

clean:
	rm -rf $(VENV) demo-output .pytest_cache
