# Leer-Rijk: `make run` starts the whole local stack, `make test` runs every test.
# Both install what is missing on first use and are quick when it is there.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMPS := .stamps
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-fast lint typecheck deploy deploy-check deploy-rehearsal job bench package infra portal deps clean supplier cfb accounts catalogue migrate cost directory

$(STAMPS):
	@mkdir -p $(STAMPS)

# Virtual environment with runtime + dev dependencies, rebuilt when a requirements file changes.
$(STAMPS)/venv: requirements.txt requirements-dev.txt | $(STAMPS)
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is missing. Fix: apt-get install -y python3.11 python3.11-venv"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Fix: apt-get install -y python3.11-venv"; exit 1; }
	@echo "Installing Python dependencies into $(VENV) ..."
	@$(PY) -m pip install -q -r requirements-dev.txt 2> >(grep -v "is ignored: it is neither" >&2) || { echo "pip install failed. Fix: $(PY) -m pip install -r requirements-dev.txt"; exit 1; }
	@touch $@

# npm packages (NL Design System CSS, axe-core), pinned by package-lock.json.
$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	@command -v npm >/dev/null || { echo "npm is missing. Fix: apt-get install -y nodejs npm"; exit 1; }
	@echo "Installing npm packages ..."
	@npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed. Fix: npm ci"; exit 1; }
	@touch $@

# checkov pins an older boto3 than ours: it gets its own virtual environment (dev only).
$(STAMPS)/checkov: requirements-checkov.txt | $(STAMPS)
	@test -x .venv-checkov/bin/python || $(PYTHON) -m venv .venv-checkov
	@echo "Installing checkov into .venv-checkov ..."
	@.venv-checkov/bin/pip install -q -r requirements-checkov.txt 2> >(grep -v "is ignored: it is neither" >&2) || { echo "Fix: .venv-checkov/bin/pip install -r requirements-checkov.txt"; exit 1; }
	@touch $@

# Debian's Chromium for the browser tests: installed through apt-get when absent and root.
$(STAMPS)/chromium: | $(STAMPS)
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's Chromium (one time) ..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || { echo "Chromium install failed. Fix: sudo apt-get update && sudo apt-get install -y chromium"; exit 1; }; \
	  else \
	    echo "Chromium is missing. Fix: sudo apt-get update && sudo apt-get install -y chromium"; exit 1; \
	  fi; \
	fi
	@touch $@

deps: $(STAMPS)/venv $(STAMPS)/npm

portal: deps
	@$(PY) -m devstack.build_portal

run: deps portal
	@PORT=$(PORT) $(PY) -m devstack

job: deps
	@test -n "$(NAME)" || { echo "Usage: make job NAME=<job> (see: make job NAME=list)"; exit 2; }
	@$(PY) -m devstack.job "$(NAME)" --port $(PORT)

# Commands against the running local stack (its emulated AWS is described in build/devstack.env).
supplier: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.supplier $(ARGS)

cfb: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.create_cfb $(ARGS)

accounts: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.accounts $(ARGS)

catalogue: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.catalogue $(ARGS)

# Data migrations (R_OPS_04) on the running local stack: ARGS=status or ARGS=run (make run and make deploy run them).
migrate: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.migrate $(ARGS)

directory: $(STAMPS)/venv
	@test -f build/devstack.env || { echo "Start the stack first: make run"; exit 1; }
	@set -a && . build/devstack.env && set +a && $(PY) -m tools.directory $(ARGS)

lint: $(STAMPS)/venv
	@$(VENV)/bin/ruff check .

# mypy over app.py, chalicelib/ (strict), devstack/, tools/ and bench/; settings in pyproject.toml.
typecheck: $(STAMPS)/venv
	@$(VENV)/bin/mypy

# Two pytest runs at once: the in-process tiers on two workers (each has its own moto; their output goes to
# build/test-in-process.log and is shown after), and the tiers that start the local stack or package the app,
# one test at a time (one stack per run, one packaging). The browser tests wait on pages much of the time, so
# together they finish minutes sooner than one after the other. Either failing fails the target.
IN_PROCESS_LOG := build/test-in-process.log
test: deps $(STAMPS)/chromium portal lint typecheck deploy-check deploy-rehearsal
	@mkdir -p build; \
	$(PY) -m pytest -q -p no:cacheprovider -n 2 tests/unit tests/functional tests/faults > $(IN_PROCESS_LOG) 2>&1 & \
	in_process=$$!; \
	echo "Unit, functional and fault tests run in the background ($(IN_PROCESS_LOG)); infra, API and browser tests below."; \
	$(PY) -m pytest -q -p no:cacheprovider tests/infra tests/api tests/browser; stack=$$?; \
	wait $$in_process; in_process=$$?; \
	echo "--- unit, functional and fault tests ($(IN_PROCESS_LOG)) ---"; \
	if [ $$in_process -eq 0 ]; then tail -n 3 $(IN_PROCESS_LOG); else cat $(IN_PROCESS_LOG); fi; \
	[ $$stack -eq 0 ] && [ $$in_process -eq 0 ]

test-fast: $(STAMPS)/venv
	@$(PY) -m pytest -q -p no:cacheprovider -n 2 tests/unit tests/functional tests/faults

# Mutation testing of the eight pure rule modules (mutmut; configuration in pyproject.toml [tool.mutmut]),
# outside `make test`: CPU-heavy, so niced and one test process at a time. Each run starts afresh (mutmut
# keeps a survivor's verdict when only the tests change). Then the score without the equivalent mutants
# (tests/mutation/equivalent.md). While writing tests: .venv/bin/mutmut run "chalicelib.orders.rules.*".
.PHONY: mutation
mutation: $(STAMPS)/venv
	@rm -rf mutants
	@nice -n 10 $(VENV)/bin/mutmut run --max-children 1
	@$(PY) -m tools.mutation_score

# Lighthouse (bench/lighthouse.py) needs the npm packages and the built portal; infra only the Python environment.
bench: deps portal
	@$(PY) -m bench

# The monthly AWS cost of a workload in eu-west-1 (R_OPS_05): make cost [WORKLOAD=<name in bench/cost/workloads/>].
WORKLOAD ?= rijksoverheid
cost: deps portal
	@$(PY) -m bench.cost --workload $(WORKLOAD)

infra: $(STAMPS)/venv
	@$(PY) -m tools.gen_infra

package: $(STAMPS)/venv
	@$(PY) -m tools.package

# The offline check of everything `make deploy` would stand up (R_OPS_03): generated infra up to
# date, the packaged template, its SAM expansion (what CloudFormation deploys; cfn-lint alone does not
# expand SAM) and the edge template lint clean, and checkov finds no failed check (each skip is
# justified in the template's Metadata). No AWS account needed.
deploy-check: package $(STAMPS)/checkov
	@$(PY) -m tools.sam_expand dist/sam.json --out dist/cloudformation.json
	@$(VENV)/bin/cfn-lint dist/sam.json dist/cloudformation.json infra/edge.json
	@.venv-checkov/bin/checkov --skip-download --quiet --compact --framework cloudformation \
	  -f dist/sam.json -f infra/edge.json
	@echo "deploy-check: cfn-lint (packaged, expanded, edge) and checkov clean"

# Both templates deployed through tools/deploy.py's change sets to moto, in one process, then checked
# against the models, the register and the app, with a smoke journey on the tables made (R_OPS_01).
deploy-rehearsal: package
	@$(PY) -m tools.rehearse

# Deploy to the AWS account of the current credentials: `make deploy STAGE=prod` (README "Deploying").
STAGE ?= prod
deploy: deps
	@$(PY) -m tools.deploy --stage $(STAGE) $(ARGS)

clean:
	rm -rf $(STAMPS) build dist mutants
