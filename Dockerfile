# offndat images, one target per process; build from the repository root:
#   docker build --target api -t offndat-api .
#   docker build --target worker -t offndat-worker .
# NODE_IMAGE selects the base. By default the public image of Node.js 24, the active LTS line (upstream support
# until April 2028; Node.js 20 reached its end of life in April 2026), on Debian 13 like the air-gapped base.
# Where no registry can be reached, scripts/k8s/images.sh passes offndat.local/node:20, built here from Debian 13's
# own nodejs package (k8s/images/node): Node.js 20, which Debian keeps patching for the life of that release.
# Both lines run the whole test suite (docs/kubernetes.md, "Images"). No `# syntax=` line: BuildKit would fetch that
# frontend from a registry, and the built-in one has everything this file uses.
ARG NODE_IMAGE=node:24-trixie-slim

# Compile TypeScript with the full dependency tree.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY api ./api
COPY worker ./worker
RUN npm run build

# Production dependencies only; no install scripts run in an image that ships.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# What both processes share: tini as PID 1 forwards SIGTERM to node (which drains) and reaps zombies.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
COPY vocabularies ./vocabularies
# Numeric, so Kubernetes can verify runAsNonRoot (the image's "node" user is uid 1000).
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]

# The HTTP API; also runs the migrations Job (node dist/core/db/migrate-cli.js). Every redirect allocates (request,
# response, the visit), so a young generation twice V8's default size halves the scavenges that pause it. In the
# `make bench` runs either side of this flag (2026-11-30) the L1 redirect's p99 went from 13.8 to 7.4 ms and its CPU
# per request from 25 to 22 µs; RSS under load rose by about 30 MiB. `make bench` starts the api with these flags.
FROM runtime AS api
ENV PORT=8080
EXPOSE 8080
CMD ["node", "--max-semi-space-size=32", "dist/api/main.js"]

# The consumer; /metrics, /health and /ready on METRICS_PORT. Last, so a plain `docker build` builds it too.
FROM runtime AS worker
ENV METRICS_PORT=9091
EXPOSE 9091
CMD ["node", "dist/worker/main.js"]
