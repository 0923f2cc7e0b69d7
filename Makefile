# `make build` and `make test` each bootstrap .venv on a fresh machine, from the lock files in
# requirements/ (exact versions and hashes of everything installed): what passed here installs the same
# elsewhere, and a changed artifact fails the install instead of changing a result.
#   requirements/run.txt      what `plaintrust` needs (make build, check, serve)
#   requirements/test.txt     run.txt + the test tools (make test, golden; .ci/run)
#   requirements/bench.txt    test.txt + the benchmark's peers (make bench)
#   requirements/engines.txt  test.txt + the optional engines, ProperDocs and Zensical (make engines; .ci/run)
# All four are written by `make lock` from pyproject.toml's ranges, and agree on every version.
# `make test-latest` runs the suite against the newest releases those ranges allow, without the locks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK_VENV := .venv-lock
LATEST_VENV := .venv-latest
# The tool that writes the lock files; it lives in its own venv, never in .venv.
PIP_TOOLS := pip-tools==7.6.2
# `make lock` moves every pin to the newest release pyproject.toml allows; `make lock LOCK_UPGRADE=`
# keeps the current pins where pyproject.toml still allows them (e.g. after adding one dependency).
LOCK_UPGRADE ?= --upgrade
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --build-deps-for=editable
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test test-latest lock check serve clean golden bench docs lint engines

# One stamp per lock file, redone when that lock (or pyproject.toml) changes. The locks pin the same
# version of every package they share, so `make build` after `make test` (or the reverse) installs only
# what is missing and never changes a version the other one installed.
# The lock pins the build backend (setuptools, wheel): the editable install builds without isolation,
# so nothing unpinned is downloaded. pip itself is the one the venv came with: no unpinned upgrade.
$(VENV)/.installed-%: requirements/%.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $<
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

build: $(VENV)/.installed-run
	$(BIN)/plaintrust build

check: $(VENV)/.installed-run
	$(BIN)/plaintrust check

serve: $(VENV)/.installed-run
	$(BIN)/plaintrust serve

# The documentation site (docs/mkdocs.yml, not the example's mkdocs.yml) into build/docs/; its reference
# pages are generated from the code. --strict: a broken link or anchor fails the build.
docs: $(VENV)/.installed-run
	$(BIN)/mkdocs build --strict -f docs/mkdocs.yml

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# The optional engines (pyproject.toml's extras `properdocs` and `zensical`) beside the test tools, for the
# tests that build with each engine; without them those tests skip. `make test` installs the default only.
engines: $(VENV)/.installed-engines

# Style and likely bugs (ruff), formatting (ruff format), types (mypy) and the import contracts between
# the layers (lint-imports); their settings are in pyproject.toml. Every tool runs, even after one fails,
# so one run lists all there is to fix.
LINT_PATHS := generator tests bench docs/hooks
lint: $(VENV)/.installed-test
	@status=0; \
	$(BIN)/ruff check $(LINT_PATHS) || status=1; \
	$(BIN)/ruff format --check $(LINT_PATHS) || status=1; \
	$(BIN)/mypy || status=1; \
	$(BIN)/lint-imports || status=1; \
	exit $$status

# The example repository and synthetic ones of 300, 1,000 and 10,000 controls beside their peers, each
# target as a ratio (bench/run.py; it writes BENCHMARKS-latest.md). `make bench BENCH_ARGS=--keep` keeps
# the repositories (bench/.work/) for the next run; BENCH_ARGS="--sizes example,300" measures fewer sizes.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

golden: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests --update-golden

# Rewrite requirements/*.txt from pyproject.toml. bench.txt (the test tools and the benchmark's peers) is
# resolved first; run.txt and test.txt are then constrained to its versions, so they always agree.
# engines.txt is constrained the same way; what only the engines need follows LOCK_UPGRADE like bench.txt.
lock:
	test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet '$(PIP_TOOLS)'
	$(PIP_COMPILE) $(LOCK_UPGRADE) --extra=test --extra=bench --output-file=requirements/bench.txt pyproject.toml
	$(PIP_COMPILE) --upgrade --constraint=requirements/bench.txt --extra=test --output-file=requirements/test.txt pyproject.toml
	$(PIP_COMPILE) --upgrade --constraint=requirements/bench.txt --output-file=requirements/run.txt pyproject.toml
	$(PIP_COMPILE) $(LOCK_UPGRADE) --constraint=requirements/bench.txt --extra=test --extra=properdocs \
		--extra=zensical --output-file=requirements/engines.txt pyproject.toml

# The suite against the newest releases pyproject.toml's ranges allow (no lock), in a venv made anew
# each time: it shows the next upstream break before users meet it. Not part of CI, which runs `make test`.
test-latest:
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e '.[test]'
	@grep -Eo '^[a-z0-9-]+==[^ ]+' requirements/test.txt | LC_ALL=C sort > $(LATEST_VENV)/locked.txt
	@$(LATEST_VENV)/bin/python -m pip freeze --exclude-editable \
		| awk -F'==' '{ name = tolower($$1); gsub(/[._]/, "-", name); print name "==" $$2 }' \
		| LC_ALL=C sort | comm -13 $(LATEST_VENV)/locked.txt - > $(LATEST_VENV)/unlocked.txt
	@echo 'Installed here but not pinned so in requirements/test.txt (newer releases, new dependencies):'
	@sed 's/^/    /' $(LATEST_VENV)/unlocked.txt; test -s $(LATEST_VENV)/unlocked.txt || echo '    none'
	$(LATEST_VENV)/bin/python -m pytest

clean:
	rm -rf build .plaintrust-cache bench/.work
