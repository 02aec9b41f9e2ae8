/*
 * malloc-count: an LD_PRELOAD library that counts malloc/calloc/realloc/posix_memalign and free
 * calls of a process and prints the totals to stderr at exit. bench/alloc/run.sh uses it to check
 * that ordrel allocates nothing per request on the hot path.
 * calloc is served from a static bootstrap buffer until dlsym has resolved the real one (dlsym
 * itself calls calloc).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static atomic_ulong mallocs, frees;
static void *(*real_malloc)(size_t);
static void (*real_free)(void *);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_posix_memalign)(void **, size_t, size_t);
static char bootstrap[4096]; static size_t boot_used;
void *malloc(size_t n) { if (!real_malloc) real_malloc = dlsym(RTLD_NEXT, "malloc"); atomic_fetch_add(&mallocs, 1); return real_malloc(n); }
void *calloc(size_t a, size_t b) {
  if (!real_calloc) { void *p = bootstrap + boot_used; boot_used += (a*b + 15) & ~15UL; return p; }
  atomic_fetch_add(&mallocs, 1); return real_calloc(a, b); }
void *realloc(void *p, size_t n) { if (!real_realloc) real_realloc = dlsym(RTLD_NEXT, "realloc"); atomic_fetch_add(&mallocs, 1); return real_realloc(p, n); }
int posix_memalign(void **p, size_t a, size_t n) { if (!real_posix_memalign) real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign"); atomic_fetch_add(&mallocs, 1); return real_posix_memalign(p, a, n); }
void free(void *p) { if ((char*)p >= bootstrap && (char*)p < bootstrap + sizeof bootstrap) return; if (!real_free) real_free = dlsym(RTLD_NEXT, "free"); if (p) atomic_fetch_add(&frees, 1); real_free(p); }
__attribute__((constructor)) static void init(void) { real_calloc = dlsym(RTLD_NEXT, "calloc"); }
__attribute__((destructor)) static void done(void) { char b[128]; int n = snprintf(b, sizeof b, "ALLOCS mallocs=%lu frees=%lu\n", mallocs, frees); write(2, b, n); }
