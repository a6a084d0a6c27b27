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
# then the guide site into build/site/ and its Spanish version into build/site/es/.
demo: $(STAMP)
	$(BIN)/lettergen batch examples -o letters --force > /dev/null
	@echo "Letters written to letters/ (one folder per example case)."
	$(BIN)/mkdocs build --strict
	$(BIN)/mkdocs build --strict -f mkdocs.es.yml
	@echo "Site built in build/site/. To browse it: $(BIN)/mkdocs serve  (then open http://127.0.0.1:8000)"

# axe-core for the site's accessibility test, from npm when npm is there (the test
# skips without it); package-lock.json pins it.
A11Y := tests/a11y/node_modules/axe-core/axe.min.js
$(A11Y): tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/a11y --no-audit --no-fund --silent && touch $(A11Y); \
	else echo "note: npm not found; the accessibility test will skip"; fi

test: $(STAMP) $(A11Y)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench.py

clean:
	rm -rf build dist letters .pytest_cache
