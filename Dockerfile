# ordrel container image: a static-stdlib release build on a slim Debian runtime with libev only.
#   docker build -t ordrel .
#   docker run --rm -p 8080:8080 -v $PWD/examples/docker/ordrel.cfg:/usr/local/etc/ordrel/ordrel.cfg:ro ordrel
# It runs in master-worker mode: `docker kill -s USR2 <container>` reloads the mounted configuration
# without dropping a connection, `docker stop` (SIGUSR1) lets open streams finish, and
# `docker exec <container> ordrelctl -s /run/ordrel/master.sock show proc` lists the processes.

FROM swift:6.1-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libev-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product ordrel \
 && swift build -c release --static-swift-stdlib --product ordrelctl \
 && install -D -m 0755 .build/release/ordrel /out/ordrel \
 && install -D -m 0755 .build/release/ordrelctl /out/ordrelctl

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libev4 \
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
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/ordrel"]
CMD ["-W", "-db", "-S", "/run/ordrel/master.sock,mode,600", "-f", "/usr/local/etc/ordrel/ordrel.cfg"]
