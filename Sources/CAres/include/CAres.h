#ifndef ORDREL_CARES_H
#define ORDREL_CARES_H

/*
 * The c-ares calls ordrel's resolvers make, each wrapped once so Swift sees plain ints and
 * buffers instead of c-ares' option structs, linked lists and ARES_GETSOCK_* macros. Only
 * OrdrelSystem imports this module (Tests/OrdrelSystemTests/LibcBoundaryTests.swift).
 * A channel here always asks exactly one name server: haproxy sends each query to every name
 * server of a `resolvers` section and counts answers per server, so ordrel opens one channel per
 * `nameserver` line and c-ares never fails over on its own.
 */

#include <ares.h>

/* ares_library_init(ARES_LIB_INIT_ALL): once per process, before any channel. Returns an ARES_ code. */
int ordrel_ares_library_init(void);

/*
 * ares_init_options + ares_set_servers_ports_csv: a channel asking only `server` ("1.2.3.4:53"
 * or "[::1]:53") over UDP, one try per query that times out after `timeout_ms`, no search
 * domains or aliases, answers handed back whatever their rcode (ARES_FLAG_NOCHECKRESP), and an
 * EDNS0 OPT record announcing `edns_payload` bytes (haproxy's accepted_payload_size). Returns an
 * ARES_ code; `*out` is set only on ARES_SUCCESS.
 */
int ordrel_ares_open(const char *server, int timeout_ms, int edns_payload, ares_channel *out);

/* ares_destroy: pending queries end with ARES_EDESTRUCTION. */
void ordrel_ares_close(ares_channel channel);

/* The answer callback: ARES_ status, raw reply (NULL on failure), reply length. */
typedef void (*ordrel_ares_answer_cb)(void *context, int status, const unsigned char *reply, int length);

/* ares_query for `name`, class IN, record `type` (1 A, 28 AAAA, 33 SRV); `cb` runs from
 * ordrel_ares_process (or at once when the query cannot be sent). */
void ordrel_ares_query(ares_channel channel, const char *name, int type, ordrel_ares_answer_cb cb, void *context);

/*
 * ares_getsock unpacked: up to `max` sockets the channel wants watched, `fds[i]` with
 * `readable[i]`/`writable[i]` set to 0 or 1 (ARES_GETSOCK_READABLE/WRITABLE). Returns the count.
 */
int ordrel_ares_sockets(ares_channel channel, int *fds, int *readable, int *writable, int max);

/* ares_process_fd: reads `read_fd` and/or writes `write_fd` (-1: none, ARES_SOCKET_BAD) and
 * expires queries whose time is up; both -1 only handles time-outs. */
void ordrel_ares_process(ares_channel channel, int read_fd, int write_fd);

/* ares_timeout: milliseconds until the channel next needs ordrel_ares_process, -1 when no query is pending. */
long ordrel_ares_timeout_ms(ares_channel channel);

/*
 * ares_parse_a_reply (family 4) or ares_parse_aaaa_reply (family 6): the addresses of the
 * reply's answer section (CNAMEs followed) into `out`, 4 or 16 bytes each, at most `max`;
 * `*count` gets how many. Returns an ARES_ code (ARES_ENODATA for an answer with none).
 */
int ordrel_ares_parse_addresses(const unsigned char *reply, int length, int family, unsigned char *out, int max, int *count);

/* One SRV record for ordrel_ares_parse_srv's visitor. */
typedef void (*ordrel_ares_srv_cb)(void *context, int priority, int weight, int port, const char *target);

/* ares_parse_srv_reply: calls `each` once per SRV record in reply order, then frees the list.
 * Returns an ARES_ code. */
int ordrel_ares_parse_srv(const unsigned char *reply, int length, ordrel_ares_srv_cb each, void *context);

/* ares_strerror: c-ares' words for an ARES_ code. */
const char *ordrel_ares_error(int code);

#endif
