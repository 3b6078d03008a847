# offndat: every target is a thin wrapper over an npm script or scripts/*.sh, so people, CI and the
# Makefile run identical commands. `make` alone lists the targets.

# Tool versions, pinned in this one block; the scripts read them from the environment (make exports them).
# Node.js major version the project is built and tested with (package.json "engines").
NODE_VERSION ?= 20
# Helm v4, built from source with Go (chart tests; scripts/k8s/tools.sh builds and caches all of these).
HELM_VERSION ?= v4.3.1
# kubectl-validate, built with Go: HEAD pseudo-version, whose embedded schemas reach Kubernetes 1.35.
KUBECTL_VALIDATE_VERSION ?= v0.0.5-0.20260105161640-a97ccfaca20b
# kube-apiserver for chart install tests.
KUBERNETES_VERSION ?= v1.35.4
# etcd backing that kube-apiserver (>= 3.5.13 needed from Kubernetes 1.35).
ETCD_VERSION ?= v3.6.16
# Operators whose CRDs the chart's custom resources are validated and installed against (CRDs only).
CNPG_VERSION ?= v1.30.0
RABBITMQ_OPERATOR_VERSION ?= v2.22.1
PROMETHEUS_OPERATOR_VERSION ?= v0.93.0
KEDA_VERSION ?= v2.20.2
# Gateway API, whose HTTPRoute CRD the chart's route is validated and installed against.
GATEWAY_API_VERSION ?= v1.6.3
# helm-docs, built with Go: generates charts/offndat/README.md from values.yaml (scripts/chart-docs.sh).
HELM_DOCS_VERSION ?= v1.14.2
# The kind cluster, built here (scripts/k8s/images.sh, node-image.sh): kind's CLI and node files, and what the
# node and the air-gapped operator install run besides the operators above.
KIND_VERSION ?= v0.33.0
PROMETHEUS_ADAPTER_VERSION ?= v0.12.0
METRICS_SERVER_VERSION ?= v0.8.0
KUBE_ROUTER_VERSION ?= v2.1.0
LOCAL_PATH_PROVISIONER_VERSION ?= v0.0.30
CRI_TOOLS_VERSION ?= v1.34.0
# k6 load generator (benchmarks; targets 127.0.0.1 only).
K6_VERSION ?= v1.8.1
# skaffold module whose published JSON Schema validates skaffold.yaml (chart tests).
SKAFFOLD_VERSION ?= v2.24.0
# schemathesis (PyPI) checking the api against its OpenAPI document (scripts/schemathesis.sh, cached venv).
SCHEMATHESIS_VERSION ?= 4.32.5
# matplotlib from PyPI, in a venv of its own, for the charts of the cluster report (scripts/matplotlib.sh).
MATPLOTLIB_VERSION ?= 3.10.8

# Empty pins stay unset, so each script's own default applies until a version is filled in above.
$(foreach v,HELM_VERSION KUBECTL_VALIDATE_VERSION KUBERNETES_VERSION ETCD_VERSION CNPG_VERSION RABBITMQ_OPERATOR_VERSION PROMETHEUS_OPERATOR_VERSION KEDA_VERSION KIND_VERSION PROMETHEUS_ADAPTER_VERSION METRICS_SERVER_VERSION KUBE_ROUTER_VERSION LOCAL_PATH_PROVISIONER_VERSION CRI_TOOLS_VERSION GATEWAY_API_VERSION HELM_DOCS_VERSION K6_VERSION SKAFFOLD_VERSION SCHEMATHESIS_VERSION MATPLOTLIB_VERSION,$(if $($(v)),$(eval export $(v))))

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} \
		/^[a-zA-Z0-9_-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } \
		/^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ Development

.PHONY: install
install: ## Install npm dependencies exactly as locked (npm ci).
	npm ci --no-audit --no-fund

.PHONY: build
build: ## Compile TypeScript to dist/.
	npm run build

.PHONY: run
run: ## Run the API (installs and builds when stale; embedded PostgreSQL when DATABASE_URL is unset).
	npm start

.PHONY: lint
lint: ## eslint with type information, dependency rules (dependency-cruiser), formatting (prettier), README layout.
	npm run --silent lint

.PHONY: format
format: ## Format the code with prettier (what .prettierignore leaves in).
	npm run --silent format

.PHONY: typecheck
typecheck: ## Type-check everything, tests included (tsc --noEmit).
	npx tsc -p tsconfig.json --noEmit

.PHONY: migrate
migrate: build ## Apply pending migrations to the database at DATABASE_URL.
	@test -n "$${DATABASE_URL:-}" || { echo "DATABASE_URL is not set (e.g. DATABASE_URL=postgres://user:pass@host:5432/db make migrate)" >&2; exit 1; }
	npm run --silent migrate

.PHONY: dlq-replay
dlq-replay: build ## Move dead-lettered messages back to their work queue (QUEUE=offndat.visits LIMIT=N; needs AMQP_URL).
	@test -n "$${AMQP_URL:-}" || { echo "AMQP_URL is not set (e.g. AMQP_URL=amqp://user:pass@host:5672/ make dlq-replay)" >&2; exit 1; }
	npm run --silent dlq:replay -- --queue "$(or $(QUEUE),offndat.visits)" $(if $(LIMIT),--limit "$(LIMIT)")

.PHONY: clean
clean: ## Remove build output and test reports (keeps node_modules and the services).
	rm -rf dist coverage .data/jest-results.json

##@ Test

.PHONY: test
test: node_modules/.package-lock.json ## Everything: services up, lint, type-check, all jest suites (report in .data/jest-results.json).
	bash scripts/test.sh

.PHONY: test-unit
test-unit: node_modules/.package-lock.json ## Unit tests beside the code only; needs no services.
	bash scripts/test.sh --unit

# npm rewrites node_modules/.package-lock.json on every install: older than package-lock.json means stale.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: dashboard-pictures
dashboard-pictures: node_modules/.package-lock.json ## Redraw dashboards/*.png from the live monitoring check (services up, matplotlib cached; ~2 min).
	bash scripts/services.sh up
	OFFNDAT_DASHBOARD_PICTURES=dashboards npx jest test/e2e/monitoring-live.test.ts

##@ Services

.PHONY: services-up
services-up: ## Install (apt) and start PostgreSQL, Redis, RabbitMQ for tests; writes .data/services.env.
	bash scripts/services.sh up

.PHONY: services-down
services-down: ## Stop the test services.
	bash scripts/services.sh down

.PHONY: services-status
services-status: ## Show whether each test service is up.
	bash scripts/services.sh status

##@ Kubernetes
# Chart tests run inside `make test` (jest picks up test/chart). Targets for kind and the cluster go here,
# each a one-line call of a script under scripts/k8s/.

.PHONY: chart-test
chart-test: node_modules/.package-lock.json ## Chart and dashboard tests only: lint, validate, install on a local kube-apiserver.
	bash scripts/services.sh up
	bash scripts/lib/progress.sh k8s-tools "$${OFFNDAT_TOOLS_DIR:-$$HOME/.cache/offndat-tools}" -- bash -c 'bash scripts/k8s/tools.sh ensure >/dev/null'
	npx jest test/chart

.PHONY: chart-docs
chart-docs: ## Regenerate charts/offndat/README.md from values.yaml (helm-docs; a chart test checks it is current).
	bash scripts/chart-docs.sh

.PHONY: k8s-tools
k8s-tools: ## Build the pinned helm, kubectl-validate, etcd, kube-apiserver and fetch CRDs (cached; slow only once).
	bash scripts/lib/progress.sh k8s-tools "$${OFFNDAT_TOOLS_DIR:-$$HOME/.cache/offndat-tools}" -- bash scripts/k8s/tools.sh ensure

.PHONY: images
images: ## Build offndat-api and offndat-worker on a Debian + Node.js 20 base made here (IMAGE_TAG, default dev).
	bash scripts/k8s/images.sh ensure base app

.PHONY: cluster-images
cluster-images: ## Build every image of the air-gapped cluster: Kubernetes, operators, data services (cold about an hour on 2 cores).
	bash scripts/k8s/images.sh ensure
	bash scripts/k8s/node-image.sh

.PHONY: kind-up
kind-up: ## Create the one-node kind cluster "offndat" offline and install the operators (AUTOSCALING=keda|hpa).
	bash scripts/k8s/kind-up.sh

.PHONY: kind-e2e
kind-e2e: node_modules/.package-lock.json ## kind-up, build and load offndat, install the chart, check it end to end; writes test/kind/results/.
	bash scripts/k8s/kind-e2e.sh

.PHONY: kind-scale
kind-scale: node_modules/.package-lock.json ## On the kind cluster: api load step and worker backlog, in both autoscaling modes (MODES); writes loadtest/results/cluster-<date>.md.
	bash scripts/k8s/kind-scale.sh scale

.PHONY: kind-chaos
kind-chaos: node_modules/.package-lock.json ## On the kind cluster, under load: database failover, broker, cache, worker kill -9, rolling restarts, partition.
	bash scripts/k8s/kind-scale.sh chaos

.PHONY: kind-down
kind-down: ## Delete the kind cluster.
	bash scripts/k8s/kind-down.sh

##@ Benchmark
# Load tests and benchmarks go here, each a one-line call of a script under loadtest/ or scripts/.

.PHONY: bench
bench: node_modules/.package-lock.json ## Server CPU per request vs node:http baselines (wrk), memory soak, k6 scenarios (~20 min; not part of `make test`); writes loadtest/results/.
	bash scripts/bench.sh
