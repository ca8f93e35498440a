# Badgey container image. Build: `make image` (podman or docker), e.g.
#   podman build --format docker -t badgey:dev .     (docker format keeps the HEALTHCHECK)
# Debian bookworm based on purpose: better-sqlite3's prebuilt addon needs glibc, and the offline
# test base is Debian. Node 24 is the supported runtime (package.json engines: >= 22.14).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: npm ci, one esbuild bundle, the native files, the SBOM ----
# No compilers: better-sqlite3 13 ships prebuilt Node-API addons in its npm tarball. A future native
# dependency without a linux prebuilt would need `apt-get install python3 make g++` here.
FROM ${NODE_IMAGE} AS build
# npm sbom names the application after the project folder.
WORKDIR /build/badgey
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle.mjs scripts/runtime-files.mjs ./scripts/
# /runtime is exactly what the image runs: dist/ (the bundles, without their source maps),
# package.json (the version and "type": "module"), the native
# packages of package.json "nativeRuntime" (trimmed to their run-time files) and the SBOM of the
# production dependency tree that went into them. The SBOM comes from the pruned tree, not from
# `npm sbom --omit=dev`: that drops production packages also reached from a dev dependency (npm
# cli issue 7909; here hdr-histogram-js and yaml), and on a pruned tree npm sbom needs
# package.json without its devDependencies. npm prune keeps a package the lockfile marks
# `devOptional` (a dev dependency that a production package names as an optional peer: TypeScript,
# for i18next's types); nothing in the bundle uses it, so it goes too.
RUN npm run build \
 && mkdir -p /runtime \
 && cp -r package.json dist /runtime/ \
 && find /runtime/dist -name "*.map" -delete \
 && node scripts/runtime-files.mjs /runtime \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "const fs=require('fs'); const lock=JSON.parse(fs.readFileSync('package-lock.json')); for (const [path, entry] of Object.entries(lock.packages)) if (entry.devOptional) fs.rmSync(path, {recursive: true, force: true})" \
 && node -e "const fs=require('fs'); const p=JSON.parse(fs.readFileSync('package.json')); delete p.devDependencies; fs.writeFileSync('package.json', JSON.stringify(p))" \
 && npm sbom --sbom-format cyclonedx --sbom-type application > /runtime/sbom.cdx.json \
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
# One app layer, root-owned (the app user can read but not modify it): dist/ bundles, package.json,
# node_modules/ with only the native run-time files, and /app/sbom.cdx.json (CycloneDX SBOM).
COPY --from=build /runtime/ ./
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
