# ordrel container image: one static-stdlib release build of both binaries, stripped, on a slim
# Debian runtime that adds libev and c-ares only (README.md, "Container"; sizes in docs/container.md).
#   docker build -t ordrel .      (no registry? examples/docker/local-bases.sh makes both bases)
#   docker run --rm -p 8080:8080 -v $PWD/examples/docker:/usr/local/etc/ordrel:ro ordrel
# It runs in master-worker mode: `docker kill -s USR2 <container>` reloads the mounted configuration
# without dropping a connection, `docker stop` (SIGUSR1) lets open streams finish, and
# `docker exec <container> ordrelctl -s /run/ordrel/master.sock show proc` lists the processes.
# `make container-test` builds it and checks all of this in a running container.

FROM swift:6.1-bookworm AS build
# Lets `docker image prune --filter label=org.ordrel.stage=build` drop this stage once built.
LABEL org.ordrel.stage=build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libev-dev libc-ares-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# One build for every product (ordrel-model, the small model checker, is built but not shipped).
# -s strips at link time: symbols would double the binaries. Neither links Foundation (only the
# FoundationEssentials that ArgumentParser uses), so the static stdlib carries no ICU data.
RUN swift build -c release --static-swift-stdlib -Xlinker -s \
 && install -D -m 0755 -t /out .build/release/ordrel .build/release/ordrelctl

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libev4 libc-ares2 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin ordrel \
 && install -d -o ordrel -g ordrel /run/ordrel \
 && install -d /usr/local/etc/ordrel
COPY --from=build /out/ /usr/local/bin/
COPY conf/ordrel.cfg /usr/local/etc/ordrel/ordrel.cfg
USER ordrel
# SIGUSR1 is a soft stop: the master passes it to its workers, their listeners close, open streams
# finish, then the workers and the master exit.
STOPSIGNAL SIGUSR1
# Healthy while the master answers on its socket and routes `show info` to a live worker (@1): the
# master-worker pair as a whole, whatever stats sockets the mounted configuration declares.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ordrelctl -s /run/ordrel/master.sock --timeout 2 @1 show info | grep -q '^Name: '
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/ordrel"]
CMD ["-W", "-db", "-S", "/run/ordrel/master.sock,mode,600", "-f", "/usr/local/etc/ordrel/ordrel.cfg"]
