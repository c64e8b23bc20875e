/* ring_host.c -- the host end of the channel in C, for tests (see ring_host.h). */
#define _GNU_SOURCE
#include "ring_host.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t channel_bytes(uint32_t entries)
{
    uint64_t b = sizeof(struct az_channel) + (uint64_t)entries * (sizeof(struct az_sqe) + sizeof(struct az_cqe));
    return (b + AZ_CACHE_LINE - 1) & ~(uint64_t)(AZ_CACHE_LINE - 1);
}

size_t ring_host_region_size(uint32_t nchannels, uint32_t entries)
{
    uint64_t size = sizeof(struct az_region) + (uint64_t)nchannels * channel_bytes(entries);
    return (size_t)((size + 4095) & ~(uint64_t)4095);
}

static struct az_channel *channel(struct az_region *r, uint32_t i)
{
    return (struct az_channel *)((char *)r + r->channel_offset + (uint64_t)i * r->channel_stride);
}

static struct az_sqe *sq_of(struct az_channel *c)
{
    return (struct az_sqe *)(c + 1);
}

static struct az_cqe *cq_of(struct az_channel *c, uint32_t entries)
{
    return (struct az_cqe *)(sq_of(c) + entries);
}

void ring_host_format(void *mem, uint64_t gpa, uint32_t nchannels, uint32_t entries, uint32_t start)
{
    size_t size = ring_host_region_size(nchannels, entries);
    memset(mem, 0, size);
    struct az_region *r = mem;
    r->abi_version = AZ_ABI_VERSION;
    r->features = AZ_FEATURE_FUTEX_DOORBELL | AZ_FEATURE_TIMED_POLL;
    r->nchannels = nchannels;
    r->ring_entries = entries;
    r->region_gpa = gpa;
    r->region_size = size;
    r->channel_offset = sizeof(struct az_region);
    r->channel_stride = channel_bytes(entries);
    r->poll_interval_us = 1000;
    r->host_state = AZ_HOST_SERVING;
    for (uint32_t i = 0; i < nchannels; i++) {
        struct az_channel *c = channel(r, i);
        c->sq_tail = c->sq_head = c->cq_tail = c->cq_head = start;
        for (uint32_t k = 0; k < entries; k++) {
            /* The position of the previous lap that used slot k. */
            uint32_t prev = start - entries + ((k - start) & (entries - 1));
            sq_of(c)[k].seq = prev + 1;
            cq_of(c, entries)[k].seq = prev + 1;
        }
    }
    /* Magic last: a client that sees it sees a whole region. */
    __atomic_store_n(&r->magic, AZ_REGION_MAGIC, __ATOMIC_RELEASE);
}

static void publish(struct ring_host *h, struct az_channel *c, uint32_t ci, uint64_t id, int64_t result)
{
    struct az_cqe *e = &cq_of(c, h->entries)[h->cq_pos[ci] & (h->entries - 1)];
    e->id = id;
    e->result = result;
    e->flags = 0;
    e->reserved = 0;
    __atomic_store_n(&e->seq, h->cq_pos[ci] + 1, __ATOMIC_RELEASE);
    h->cq_pos[ci]++;
}

/* Serves what one channel has ready; returns the count. */
static uint32_t serve_channel(struct ring_host *h, uint32_t ci)
{
    enum { MAX_BATCH = 64 };
    struct az_channel *c = channel(h->region, ci);
    struct az_sqe *sq = sq_of(c);
    struct az_sqe batch[MAX_BATCH];
    int64_t results[MAX_BATCH];
    uint32_t mask = h->entries - 1, n = 0;
    uint32_t strays = h->inject_strays;
    while (n < MAX_BATCH) {
        /* Consume only with a completion slot reserved (strays included).
         * cq_head is cached and re-read only when the ring looks full: the
         * client writes that line after every reap. */
        if (h->cq_pos[ci] + n + strays - h->cq_head[ci] >= h->entries) {
            h->cq_head[ci] = __atomic_load_n(&c->cq_head, __ATOMIC_ACQUIRE);
            if (h->cq_pos[ci] + n + strays - h->cq_head[ci] >= h->entries)
                break;
        }
        const struct az_sqe *e = &sq[h->sq_pos[ci] & mask];
        if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != h->sq_pos[ci] + 1)
            break;
        batch[n] = *e;
        n++;
        h->sq_pos[ci]++;
    }
    if (n == 0)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        results[i] = h->handle(h, &batch[i]);
    h->last = batch[n - 1];
    if (strays) {
        publish(h, c, ci, 0xdead000000000005ull, -1); /* slot 5, a generation never issued */
        for (uint32_t i = 1; i < strays; i++)
            publish(h, c, ci, 1000 + i, -1); /* no such slot */
        h->inject_strays = 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t k = h->reverse ? n - 1 - i : i;
        publish(h, c, ci, batch[k].id, results[k]);
    }
    __atomic_store_n(&c->cq_tail, h->cq_pos[ci], __ATOMIC_RELEASE);
    /* sq_head last, off the request's critical path: the client reads its
     * line (flags) after every submission, so writing it costs a transfer. */
    __atomic_store_n(&c->sq_head, h->sq_pos[ci], __ATOMIC_RELEASE);
    __atomic_fetch_add(&h->served, n, __ATOMIC_RELAXED);
    return n;
}

static int anything_ready(struct ring_host *h)
{
    for (uint32_t ci = 0; ci < h->nchannels; ci++) {
        const struct az_sqe *e = &sq_of(channel(h->region, ci))[h->sq_pos[ci] & (h->entries - 1)];
        if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) == h->sq_pos[ci] + 1)
            return 1;
    }
    return 0;
}

static void set_need_wakeup(struct ring_host *h, int on)
{
    for (uint32_t ci = 0; ci < h->nchannels; ci++) {
        uint32_t *flags = &channel(h->region, ci)->flags;
        if (on)
            __atomic_fetch_or(flags, AZ_CHANNEL_NEED_WAKEUP, __ATOMIC_SEQ_CST);
        else
            __atomic_fetch_and(flags, ~AZ_CHANNEL_NEED_WAKEUP, __ATOMIC_SEQ_CST);
    }
}

/* The doorbell protocol of abi.h, host side. */
static void sleep_on_doorbell(struct ring_host *h)
{
    uint32_t bell = __atomic_load_n(&h->region->doorbell, __ATOMIC_ACQUIRE);
    set_need_wakeup(h, 1);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!anything_ready(h) && !h->stop && !h->paused) {
        struct timespec ts = {h->sleep_timeout_ms / 1000, (long)(h->sleep_timeout_ms % 1000) * 1000000};
        h->sleeps++;
        long r = syscall(SYS_futex, &h->region->doorbell, FUTEX_WAIT, bell, &ts, NULL, 0);
        if (r != 0 && errno == ETIMEDOUT)
            h->timeouts++;
    }
    set_need_wakeup(h, 0);
}

void ring_host_serve(struct ring_host *h, void *mem)
{
    h->region = mem;
    h->nchannels = h->region->nchannels;
    h->entries = h->region->ring_entries;
    for (uint32_t ci = 0; ci < h->nchannels; ci++) {
        h->sq_pos[ci] = channel(h->region, ci)->sq_head;
        h->cq_pos[ci] = channel(h->region, ci)->cq_tail;
        h->cq_head[ci] = channel(h->region, ci)->cq_head;
    }
    uint32_t idle = 0;
    while (!h->stop) {
        uint32_t work = 0;
        if (!h->paused)
            for (uint32_t ci = 0; ci < h->nchannels; ci++)
                work += serve_channel(h, ci);
        if (work) {
            idle = 0;
        } else if (h->sleepy && ++idle >= h->idle_spins) {
            sleep_on_doorbell(h);
            idle = 0;
        } else if (!h->sleepy && ++idle >= 4096) {
            sched_yield(); /* tests share two cores with their client threads */
        } else {
            __builtin_ia32_pause();
        }
    }
}

static void *serve_thread(void *arg)
{
    struct ring_host *h = arg;
    ring_host_serve(h, h->region);
    return NULL;
}

int ring_host_start(struct ring_host *h, void *mem)
{
    h->stop = 0;
    h->region = mem;
    return pthread_create(&h->thread, NULL, serve_thread, h);
}

void ring_host_stop(struct ring_host *h)
{
    h->stop = 1;
    /* Wake it if it sleeps. */
    __atomic_fetch_add(&h->region->doorbell, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &h->region->doorbell, FUTEX_WAKE, 1, NULL, NULL, 0);
    pthread_join(h->thread, NULL);
}
