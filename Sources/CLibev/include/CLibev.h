#ifndef ORDREL_CLIBEV_H
#define ORDREL_CLIBEV_H

/*
 * The few pieces of libev and the socket API that Swift cannot import:
 * libev's ev_*_init / ev_is_active are macros, and CMSG_* are macros too.
 * Each function below is a thin, named wrapper around exactly one of them.
 */

#include <ev.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>

/* ev_default_loop(0) with the backend libev considers best (epoll on Linux). */
struct ev_loop *ordrel_ev_default_loop(void);
/* ev_loop_new(EVFLAG_AUTO): one loop per extra thread. */
struct ev_loop *ordrel_ev_loop_new(void);

/*
 * ev_set_userdata + ev_set_loop_release_cb: the loop holds `mutex` whenever it is not
 * blocked in the kernel waiting for events, and lets go of it while it waits. Another thread
 * that takes the mutex therefore finds the loop between two iterations, with no callback
 * running, and may touch its watchers (libev's documented thread-locking pattern). The loop's
 * thread must hold the mutex when it calls ev_run.
 */
void ordrel_ev_set_loop_mutex(struct ev_loop *loop, pthread_mutex_t *mutex);

/* ev_io_init: set callback, fd and event mask (EV_READ / EV_WRITE) on an io watcher. */
void ordrel_ev_io_init(ev_io *w, void (*cb)(struct ev_loop *, ev_io *, int), int fd, int events);
/* ev_io_set: change fd/events of a stopped io watcher without touching its callback. */
void ordrel_ev_io_set(ev_io *w, int fd, int events);
/* ev_timer_init: callback, first delay and repeat interval (seconds). */
void ordrel_ev_timer_init(ev_timer *w, void (*cb)(struct ev_loop *, ev_timer *, int), double after, double repeat);
/* ev_timer_set: change the delay/repeat of a stopped timer. */
void ordrel_ev_timer_set(ev_timer *w, double after, double repeat);
/* ev_signal_init: callback for a signal number. */
void ordrel_ev_signal_init(ev_signal *w, void (*cb)(struct ev_loop *, ev_signal *, int), int signum);
/*
 * ev_child_init: callback when a child with `pid` (0: any child) exits; the default loop only.
 * libev's default loop reaps every child itself (its own SIGCHLD handler calls waitpid), so
 * this is the only place a child's exit status can be seen.
 */
void ordrel_ev_child_init(ev_child *w, void (*cb)(struct ev_loop *, ev_child *, int), int pid);
/* ev_async_init: callback for cross-thread wakeups via ev_async_send. */
void ordrel_ev_async_init(ev_async *w, void (*cb)(struct ev_loop *, ev_async *, int));
/* ev_prepare_init: callback at the start of each loop iteration, before libev updates epoll. */
void ordrel_ev_prepare_init(ev_prepare *w, void (*cb)(struct ev_loop *, ev_prepare *, int));
/* ev_is_active for each watcher type (the macro takes any watcher). */
int ordrel_ev_io_is_active(const ev_io *w);
int ordrel_ev_timer_is_active(const ev_timer *w);
/* The watcher's `data` slot, where the Swift owner keeps its Unmanaged pointer. */
void ordrel_ev_set_data(void *watcher, void *data);
void *ordrel_ev_get_data(const void *watcher);

/* Space needed for a control message carrying `fds` file descriptors (CMSG_SPACE). */
size_t ordrel_cmsg_space_fds(int fds);
/*
 * Fill `control` (of `controllen` bytes, CMSG_SPACE-sized) with one SCM_RIGHTS
 * message carrying `fds[0..<count]`, and point `msg` at it. Returns 0, or -1 if too small.
 */
int ordrel_cmsg_put_rights(struct msghdr *msg, void *control, size_t controllen, const int *fds, int count);
/*
 * Walk the control messages of a received `msg` and copy up to `max` SCM_RIGHTS
 * descriptors into `fds`. Returns how many were found (possibly more than `max`;
 * the extra ones are closed so none leak). Sets `*malformed` to 1 when an SCM_RIGHTS
 * message's cmsg_len is not CMSG_LEN of a whole number of ints (a truncated or corrupt
 * control message), else 0.
 */
int ordrel_cmsg_get_rights(struct msghdr *msg, int *fds, int max, int *malformed);


/*
 * GNU extensions Glibc's Swift module does not export (they need _GNU_SOURCE).
 * Each returns what the libc call returns and leaves errno set.
 */
/* accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC: the accepted fd is non-blocking from birth. */
int ordrel_accept4_nonblock(int fd, struct sockaddr *addr, socklen_t *len);
/* pipe2 with O_NONBLOCK | O_CLOEXEC, for splice(). */
int ordrel_pipe2_nonblock(int fds[2]);
/* splice with SPLICE_F_MOVE | SPLICE_F_NONBLOCK between a socket and a pipe. */
long ordrel_splice(int from, int to, size_t len);
/*
 * A C11 thread-local (Swift has no thread-local storage of its own): the index of the ordrel
 * worker whose loop runs on the calling thread; 0 on threads that never set it.
 */
void ordrel_set_current_worker(int index);
int ordrel_current_worker(void);
/* CPU_COUNT of sched_getaffinity(0): CPUs this process may run on; 0 if unknown. */
int ordrel_available_cpus(void);
/* pthread_setname_np(pthread_self(), name): names the calling thread (15 bytes kept). */
void ordrel_set_thread_name(const char *name);
/* gettid(): the kernel's id of the calling thread, which setpriority() takes to nice one thread
 * (Swift's Glibc module has no gettid, and syscall() is variadic). */
int ordrel_thread_id(void);
/* fcntl(F_SETPIPE_SZ): grow a pipe; returns the size the kernel granted, or -1. */
int ordrel_set_pipe_size(int fd, int size);
/* signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC): <sys/signalfd.h> is not in Glibc's module. */
int ordrel_signalfd(const sigset_t *mask);
/*
 * One read of a signalfd: the signal number (ssi_signo) of the next pending signal, or -1 with
 * errno set (EAGAIN when none is pending).
 */
int ordrel_signalfd_next(int fd);

#endif
