#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <pthread.h>
#include "CLibev.h"
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

struct ev_loop *ordrel_ev_default_loop(void) { return ev_default_loop(EVFLAG_AUTO); }
struct ev_loop *ordrel_ev_loop_new(void) { return ev_loop_new(EVFLAG_AUTO); }

static void ordrel_loop_release(struct ev_loop *loop) { pthread_mutex_unlock((pthread_mutex_t *)ev_userdata(loop)); }
static void ordrel_loop_acquire(struct ev_loop *loop) { pthread_mutex_lock((pthread_mutex_t *)ev_userdata(loop)); }
void ordrel_ev_set_loop_mutex(struct ev_loop *loop, pthread_mutex_t *mutex) {
    ev_set_userdata(loop, mutex);
    ev_set_loop_release_cb(loop, ordrel_loop_release, ordrel_loop_acquire);
}

void ordrel_ev_io_init(ev_io *w, void (*cb)(struct ev_loop *, ev_io *, int), int fd, int events) {
    ev_io_init(w, cb, fd, events);
}
void ordrel_ev_io_set(ev_io *w, int fd, int events) { ev_io_set(w, fd, events); }
void ordrel_ev_timer_init(ev_timer *w, void (*cb)(struct ev_loop *, ev_timer *, int), double after, double repeat) {
    ev_timer_init(w, cb, after, repeat);
}
void ordrel_ev_timer_set(ev_timer *w, double after, double repeat) { ev_timer_set(w, after, repeat); }
void ordrel_ev_signal_init(ev_signal *w, void (*cb)(struct ev_loop *, ev_signal *, int), int signum) {
    ev_signal_init(w, cb, signum);
}
void ordrel_ev_child_init(ev_child *w, void (*cb)(struct ev_loop *, ev_child *, int), int pid) {
    ev_child_init(w, cb, pid, 0);
}
void ordrel_ev_async_init(ev_async *w, void (*cb)(struct ev_loop *, ev_async *, int)) {
    ev_async_init(w, cb);
}
void ordrel_ev_prepare_init(ev_prepare *w, void (*cb)(struct ev_loop *, ev_prepare *, int)) {
    ev_prepare_init(w, cb);
}
int ordrel_ev_io_is_active(const ev_io *w) { return ev_is_active(w); }
int ordrel_ev_timer_is_active(const ev_timer *w) { return ev_is_active(w); }
void ordrel_ev_set_data(void *watcher, void *data) { ((ev_watcher *)watcher)->data = data; }
void *ordrel_ev_get_data(const void *watcher) { return ((const ev_watcher *)watcher)->data; }

size_t ordrel_cmsg_space_fds(int fds) { return CMSG_SPACE(sizeof(int) * (size_t)fds); }

int ordrel_cmsg_put_rights(struct msghdr *msg, void *control, size_t controllen, const int *fds, int count) {
    size_t need = CMSG_SPACE(sizeof(int) * (size_t)count);
    if (controllen < need) return -1;
    memset(control, 0, need);
    msg->msg_control = control;
    msg->msg_controllen = need;
    struct cmsghdr *c = CMSG_FIRSTHDR(msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)count);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)count);
    return 0;
}

int ordrel_cmsg_get_rights(struct msghdr *msg, int *fds, int max, int *malformed) {
    int found = 0;
    *malformed = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c != NULL; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        if (c->cmsg_len < CMSG_LEN(0) || (c->cmsg_len - CMSG_LEN(0)) % sizeof(int) != 0) *malformed = 1;
        if (c->cmsg_len < CMSG_LEN(0)) continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        int *data = (int *)CMSG_DATA(c);
        for (size_t i = 0; i < n; i++) {
            if (found < max) fds[found] = data[i];
            else close(data[i]);
            found++;
        }
    }
    return found;
}

int ordrel_accept4_nonblock(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
int ordrel_pipe2_nonblock(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }
long ordrel_splice(int from, int to, size_t len) {
    return (long)splice(from, NULL, to, NULL, len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}
int ordrel_set_pipe_size(int fd, int size) { return fcntl(fd, F_SETPIPE_SZ, size); }

int ordrel_signalfd(const sigset_t *mask) { return signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC); }
int ordrel_signalfd_next(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n < 0) return -1;
    if (n != (ssize_t)sizeof info) { errno = EIO; return -1; }
    return (int)info.ssi_signo;
}

int ordrel_available_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    return CPU_COUNT(&set);
}

void ordrel_set_thread_name(const char *name) {
    char truncated[16];
    strncpy(truncated, name, sizeof truncated - 1);
    truncated[sizeof truncated - 1] = 0;
    pthread_setname_np(pthread_self(), truncated);
}

int ordrel_thread_id(void) { return (int)syscall(SYS_gettid); }

static _Thread_local int ordrel_worker_index;
void ordrel_set_current_worker(int index) { ordrel_worker_index = index; }
int ordrel_current_worker(void) { return ordrel_worker_index; }
