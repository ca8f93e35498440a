# Badgey container image. Build: `make image` (podman or docker), e.g.
#   podman build --format docker -t badgey:dev .     (docker format keeps the HEALTHCHECK)
# Debian bookworm based on purpose: better-sqlite3 needs glibc, and the offline test base is Debian.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compilers live only here (better-sqlite3 falls back to node-gyp without a prebuilt) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/bundle.mjs
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf /root/.npm

# ---- runtime: no compilers, no npm cache, non-root, read-only-root friendly ----
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="badgey" \
      org.opencontainers.image.description="Discord quiz bot with health probes, Prometheus metrics and quiz analytics, built for Kubernetes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.source="https://github.com/badgey/badgey"
ENV NODE_ENV=production
# A fixed numeric UID/GID (10001) so Kubernetes' runAsNonRoot can verify it and fsGroup matches.
# The app writes only to /data (database, analytics exports) and /tmp. /app/data -> /data makes
# the built-in defaults (sqlite:./data/badgey.sqlite, ./data/analytics) land on the volume.
RUN groupadd --gid 10001 badgey \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin badgey \
 && mkdir -p /app /data/analytics \
 && chown -R 10001:10001 /data \
 && ln -s /data /app/data
WORKDIR /app
# Code and dependencies stay root-owned: the app user can read but not modify them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
# Docker/podman only (Kubernetes ignores HEALTHCHECK and uses the chart's probes). No curl in the
# slim image: node's fetch does it. HEALTH_PORT must be set in the environment if the port moves.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/health').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself (terminus: readiness 503, drain, exit 0); it starts no
# child processes, so no init is needed. `docker run --init` is harmless if you prefer one.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
