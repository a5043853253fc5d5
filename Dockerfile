# A runnable image of naught with the example app. To run your own app, base an
# image on this one and copy your app into /app (or change CMD).
#
#   docker build -t naught .
#   docker run --rm -p 8000:8000 naught
#   docker kill -s HUP <container>   zero-downtime deploy of the code in /app
#   docker stop <container>          graceful stop, well inside the 10 s grace
#
# BASE can be any image of a supported line (node 22, 24 or 26) with apt, e.g.
# --build-arg BASE=node:26-bookworm-slim (node 26 links libatomic.so.1: a base without it needs libatomic1).
ARG BASE=node:24-bookworm-slim

FROM ${BASE} AS build
WORKDIR /naught
COPY package.json package-lock.json ./
# No install scripts: the sd-notify addon is for systemd, and a container has none.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build.js

FROM ${BASE}
# tini runs as PID 1: it reaps the orphans an app's child processes leave (node
# cannot) and passes every signal on to naught.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /naught/dist/ /usr/local/lib/naught/dist/
COPY package.json /usr/local/lib/naught/
# The naught command, and `import ... from 'naught/worker'` for the app in /app.
RUN ln -s /usr/local/lib/naught/dist/naught.js /usr/local/bin/naught \
 && mkdir -p /app/node_modules \
 && ln -s /usr/local/lib/naught /app/node_modules/naught
WORKDIR /app
COPY examples/hello/ ./
ENV PORT=8000
EXPOSE 8000
STOPSIGNAL SIGTERM
# Healthy while a worker serves: not while naught boots, stops, or every worker crash-loops.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s CMD ["naught", "status", "--probe", "readiness"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# Everything on stdout/stderr for `docker logs`; nothing written inside the container.
CMD ["naught", "start", "--daemon-mode", "false", "--worker-count", "auto", \
     "--stdout", "-", "--stderr", "-", "--log", "-", "server.js"]
