# faultline in a container: one image for every part of the lab (the coordinator, the proxy, and a
# node's agent in each node's container); docker-compose.yml says which runs where.
#   docker build -t faultline .        (or: docker-compose build)
# NODE_IMAGE: any Node 20 image on Debian; it must have a non-root user `node` (the official ones do).
ARG NODE_IMAGE=node:20-bookworm-slim

# ── build: install the workspace, bundle what the lab runs (scripts/image-files.ts) ───────────────
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Every workspace's package.json first, so a change of source does not reinstall (a test checks the list).
COPY packages/checkers/package.json packages/checkers/
COPY packages/classroom/package.json packages/classroom/
COPY packages/cli/package.json packages/cli/
COPY packages/clock/package.json packages/clock/
COPY packages/coordinator/package.json packages/coordinator/
COPY packages/dashboard/package.json packages/dashboard/
COPY packages/lessons/package.json packages/lessons/
COPY packages/maelstrom/package.json packages/maelstrom/
COPY packages/node/package.json packages/node/
COPY packages/protocol/package.json packages/protocol/
COPY packages/proxy/package.json packages/proxy/
COPY packages/random/package.json packages/random/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY scripts/image-files.ts scripts/
COPY examples/maelstrom/js/node.mjs examples/maelstrom/js/
RUN npx tsx scripts/image-files.ts /opt/faultline

# ── the image: Node, the bundles, no node_modules, not root ──────────────────────────────────────
FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="faultline" \
      org.opencontainers.image.description="a hands-on lab for the fundamentals of distributed systems"
ENV FAULTLINE_HOME=/opt/faultline \
    NODE_ENV=production
COPY --from=build /opt/faultline /opt/faultline
COPY docker/bin/ /usr/local/bin/
WORKDIR /lab
RUN chown node:node /lab
USER node
# 4000: the coordinator's control API and dashboard; 7070: a node's agent; 8474: the proxy's API.
EXPOSE 4000 7070 8474
# Every 30 s (each check starts a Node.js process): `docker ps` shows healthy once one has passed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["faultline-health"]
ENTRYPOINT ["faultline"]
CMD ["up", "--host", "0.0.0.0", "--port", "4000"]
