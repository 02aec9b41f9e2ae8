#include "CAres.h"
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <netinet/in.h>

int ordrel_ares_library_init(void) { return ares_library_init(ARES_LIB_INIT_ALL); }

int ordrel_ares_open(const char *server, int timeout_ms, int edns_payload, ares_channel *out) {
    struct ares_options options;
    memset(&options, 0, sizeof(options));
    options.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
    options.timeout = timeout_ms;
    options.tries = 1;
    options.ednspsz = edns_payload;
    options.lookups = "b";
    int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_EDNSPSZ | ARES_OPT_LOOKUPS;
    ares_channel channel;
    int status = ares_init_options(&channel, &options, mask);
    if (status != ARES_SUCCESS) return status;
    status = ares_set_servers_ports_csv(channel, server);
    if (status != ARES_SUCCESS) {
        ares_destroy(channel);
        return status;
    }
    *out = channel;
    return ARES_SUCCESS;
}

void ordrel_ares_close(ares_channel channel) { ares_destroy(channel); }

struct ordrel_answer_context {
    ordrel_ares_answer_cb cb;
    void *context;
};

static void ordrel_answer(void *arg, int status, int timeouts, unsigned char *reply, int length) {
    (void)timeouts;
    struct ordrel_answer_context ctx = *(struct ordrel_answer_context *)arg;
    free(arg);
    ctx.cb(ctx.context, status, reply, length);
}

void ordrel_ares_query(ares_channel channel, const char *name, int type, ordrel_ares_answer_cb cb, void *context) {
    struct ordrel_answer_context *ctx = malloc(sizeof(*ctx));
    if (ctx == NULL) {
        cb(context, ARES_ENOMEM, NULL, 0);
        return;
    }
    ctx->cb = cb;
    ctx->context = context;
    ares_query(channel, name, 1 /* C_IN */, type, ordrel_answer, ctx);
}

int ordrel_ares_sockets(ares_channel channel, int *fds, int *readable, int *writable, int max) {
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
    int count = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM && count < max; i++) {
        int r = ARES_GETSOCK_READABLE(bits, i) ? 1 : 0;
        int w = ARES_GETSOCK_WRITABLE(bits, i) ? 1 : 0;
        if (!r && !w) break;
        fds[count] = socks[i];
        readable[count] = r;
        writable[count] = w;
        count++;
    }
    return count;
}

void ordrel_ares_process(ares_channel channel, int read_fd, int write_fd) {
    ares_process_fd(channel, read_fd < 0 ? ARES_SOCKET_BAD : read_fd, write_fd < 0 ? ARES_SOCKET_BAD : write_fd);
}

long ordrel_ares_timeout_ms(ares_channel channel) {
    struct timeval tv;
    if (ares_timeout(channel, NULL, &tv) == NULL) return -1;
    return (long)tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000;
}

int ordrel_ares_parse_addresses(const unsigned char *reply, int length, int family, unsigned char *out, int max, int *count) {
    *count = 0;
    if (max <= 0) return ARES_SUCCESS;
    int found = max;
    if (family == 4) {
        struct ares_addrttl ttls[max];
        int status = ares_parse_a_reply(reply, length, NULL, ttls, &found);
        if (status != ARES_SUCCESS) return status;
        for (int i = 0; i < found; i++) memcpy(out + 4 * i, &ttls[i].ipaddr, 4);
    } else {
        struct ares_addr6ttl ttls[max];
        int status = ares_parse_aaaa_reply(reply, length, NULL, ttls, &found);
        if (status != ARES_SUCCESS) return status;
        for (int i = 0; i < found; i++) memcpy(out + 16 * i, &ttls[i].ip6addr, 16);
    }
    *count = found;
    return found == 0 ? ARES_ENODATA : ARES_SUCCESS;
}

int ordrel_ares_parse_srv(const unsigned char *reply, int length, ordrel_ares_srv_cb each, void *context) {
    struct ares_srv_reply *list = NULL;
    int status = ares_parse_srv_reply(reply, length, &list);
    if (status != ARES_SUCCESS) return status;
    for (struct ares_srv_reply *r = list; r != NULL; r = r->next) each(context, r->priority, r->weight, r->port, r->host);
    ares_free_data(list);
    return ARES_SUCCESS;
}

const char *ordrel_ares_error(int code) { return ares_strerror(code); }
