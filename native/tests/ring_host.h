/*
 * ring_host.h -- the host end of the channel in C, for tests only: formats a
 * region, consumes submissions, hands each (a private copy) to a handler,
 * and publishes completions, following abi.h's protocol (reserve a
 * completion slot before consuming; spin, then NEED_WAKEUP + fence +
 * re-check + futex sleep).  The C tests use it with an echo handler, and
 * c-proxy with a handler that runs real system calls.  One thread serves
 * every channel, one request at a time.
 */
#ifndef AZALEA_RING_HOST_H
#define AZALEA_RING_HOST_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "azalea/abi.h"

struct ring_host;
typedef int64_t (*ring_handler)(struct ring_host *h, const struct az_sqe *req);

struct ring_host {
    /* Set before ring_host_start(). */
    ring_handler handle;
    void *ctx;
    int reverse;               /* complete each batch in reverse order (ids out of order) */
    int sleepy;                /* sleep on the doorbell when idle (else spin, then yield) */
    uint32_t idle_spins;       /* idle polls before sleeping */
    uint32_t sleep_timeout_ms; /* the futex wait's timeout */

    /* Knobs a test may flip while serving. */
    volatile int paused;             /* consume nothing while set */
    volatile uint32_t inject_strays; /* publish this many completions with bogus ids first */

    /* Read by tests. */
    struct az_region *region;
    uint64_t served, sleeps, timeouts;
    struct az_sqe last; /* a copy of the last request served */

    /* Private. */
    volatile int stop;
    pthread_t thread;
    uint32_t nchannels, entries;
    uint32_t sq_pos[AZ_MAX_CHANNELS], cq_pos[AZ_MAX_CHANNELS], cq_head[AZ_MAX_CHANNELS];
};

/* Bytes a region of this geometry needs (4 KiB multiple). */
size_t ring_host_region_size(uint32_t nchannels, uint32_t entries);

/*
 * Formats a region at `mem` (4 KiB aligned, ring_host_region_size bytes)
 * whose GPA is `gpa`, with every ring position starting at `start`: a start
 * just below 2^32 exercises the uint32 wrap.  Entry seqs are set as if the
 * previous lap had been published, so no slot looks ready early.
 */
void ring_host_format(void *mem, uint64_t gpa, uint32_t nchannels, uint32_t entries, uint32_t start);

/* Serves the region at `mem` on a new thread / on the calling thread until ring_host_stop(). */
int ring_host_start(struct ring_host *h, void *mem);
void ring_host_serve(struct ring_host *h, void *mem);
void ring_host_stop(struct ring_host *h);

#endif
