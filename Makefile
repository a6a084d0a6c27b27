# The two set-up commands of the README: `make demo` and `make test`. Each creates
# .venv when it is missing; nothing else needs to be installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,docs]'
	touch $(STAMP)

# Build every letter of every example case into letters/ (replacing earlier output),
# then the guide site into build/site/.
demo: $(STAMP)
	@for case in examples/*.toml; do \
		$(BIN)/lettergen build "$$case" -o letters --force || exit 1; \
	done
	@echo "Letters written to letters/ (one folder per example case)."
	$(BIN)/mkdocs build --strict
	@echo "Site built in build/site/. To browse it: $(BIN)/mkdocs serve  (then open http://127.0.0.1:8000)"

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf build dist letters .pytest_cache
