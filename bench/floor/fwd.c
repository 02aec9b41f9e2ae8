/*
 * The floor of what any user-space TCP proxy can cost on this machine (make bench-floor).
 *
 * A forwarder with nothing but the data path: epoll, accept4, one connect per client, read and
 * send. No buffering (a short send drops the pair), no timeouts, no logs, no orderly release
 * (EOF on either side closes both), no threads to hand connections to (one process per core on
 * SO_REUSEPORT listeners). A real proxy cannot cost less than this for the same traffic; its
 * CPU per request, next to haproxy's and ordrel's, says how much of theirs is the kernel's.
 *
 *   fwd <listen port> <backend port> <processes>
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FD 65536

static int peer[MAX_FD];
static char buffer[16384];

static void close_pair(int fd) {
    int other = peer[fd];
    peer[fd] = -1;
    close(fd);
    if (other >= 0) {
        peer[other] = -1;
        close(other);
    }
}

static void watch(int epoll, int fd) {
    struct epoll_event event = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: fwd <listen port> <backend port> <processes>\n");
        return 2;
    }
    int processes = atoi(argv[3]);
    struct sockaddr_in listen_address = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                                         .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct sockaddr_in backend = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    signal(SIGPIPE, SIG_IGN);
    for (int i = 1; i < processes; i++)
        if (fork() == 0) break;
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(listener, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(listener, (struct sockaddr *)&listen_address, sizeof listen_address) || listen(listener, 1024)) {
        perror("fwd: bind/listen");
        return 1;
    }
    for (int i = 0; i < MAX_FD; i++) peer[i] = -1;
    int epoll = epoll_create1(0);
    watch(epoll, listener);
    struct epoll_event events[256];
    for (;;) {
        int ready = epoll_wait(epoll, events, 256, -1);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    int server = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                    if (client >= MAX_FD || server < 0 || server >= MAX_FD) {
                        close(client);
                        if (server >= 0) close(server);
                        continue;
                    }
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    /* On loopback the handshake completes inside connect(): no wait for EPOLLOUT. */
                    connect(server, (struct sockaddr *)&backend, sizeof backend);
                    peer[client] = server;
                    peer[server] = client;
                    watch(epoll, client);
                    watch(epoll, server);
                }
                continue;
            }
            if (peer[fd] < 0) continue;
            ssize_t got = read(fd, buffer, sizeof buffer);
            if (got > 0) {
                if (send(peer[fd], buffer, got, MSG_NOSIGNAL) != got) close_pair(fd);
            } else if (got == 0 || errno != EAGAIN) {
                close_pair(fd);
            }
        }
    }
}
