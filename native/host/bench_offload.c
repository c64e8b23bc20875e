/*
 * bench_offload.c -- latency and throughput of the channel, seen from the
 * client.  Latency: clock_gettime(CLOCK_MONOTONIC) around each call, after a
 * warm-up long enough for the proxy's JIT (about 100k round trips), then
 * p50/p99 of the samples.  Throughput: raw mode, each thread on its own
 * channel, keeping its ring full with batches (one tail store and one
 * doorbell check per batch).
 */
#define _GNU_SOURCE
#include "bench_offload.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "azlib.h"

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct summary {
    uint64_t p50, p99;
    double mean;
};

static struct summary summarise(uint64_t *s, uint64_t n)
{
    double sum = 0;
    for (uint64_t i = 0; i < n; i++)
        sum += (double)s[i];
    qsort(s, n, sizeof *s, cmp_u64);
    return (struct summary){s[n / 2], s[(n * 99) / 100], sum / (double)n};
}

static int open_channel(const struct bench_opts *b, uint32_t index, struct az_chan *ch)
{
    int rc = az_chan_open(&b->host->client, index, ch);
    if (rc != AZ_CLIENT_OK)
        fprintf(stderr, "azalea-stub: channel %u: %s\n", index, az_client_strerror(rc));
    return rc;
}

int bench_null(const struct bench_opts *b)
{
    static struct az_chan ch;
    uint64_t *s = malloc(b->n * sizeof *s);
    if (!s || open_channel(b, b->channel, &ch) != 0)
        return 1;
    for (uint64_t i = 0; i < b->warmup; i++)
        az_call(&ch, AZ_OP_NOP, 0, 0, 0, 0, 0, 0);
    for (uint64_t i = 0; i < b->n; i++) {
        uint64_t t0 = now_ns();
        int64_t r = az_call(&ch, AZ_OP_NOP, 0, 0, 0, 0, 0, 0);
        s[i] = now_ns() - t0;
        if (r != 0) {
            fprintf(stderr, "azalea-stub: NOP answered %lld\n", (long long)r);
            return 1;
        }
    }
    struct summary m = summarise(s, b->n);
    printf("{\"offload_null_rtt_p50_ns\": %llu, \"offload_null_rtt_p99_ns\": %llu, "
           "\"offload_null_rtt_mean_ns\": %.1f, \"samples\": %llu, \"warmup\": %llu}\n",
           (unsigned long long)m.p50, (unsigned long long)m.p99, m.mean, (unsigned long long)b->n,
           (unsigned long long)b->warmup);
    free(s);
    return 0;
}

int bench_pread(const struct bench_opts *b, const char *file)
{
    static struct az_chan ch;
    uint64_t *s = malloc(b->n * sizeof *s);
    if (!s || open_channel(b, b->channel, &ch) != 0)
        return 1;
    if (azlib_bind(b->host, &ch, 64 * 1024) != 0) {
        fprintf(stderr, "azalea-stub: no room for a buffer arena in the shared file\n");
        return 1;
    }
    int fd = az_open(arena_str(file), O_RDONLY, 0);
    if (fd < 0) {
        fprintf(stderr, "azalea-stub: open %s through the proxy: %s\n", file, strerror(-fd));
        return 1;
    }
    char *buf = arena_alloc(4096);
    for (uint64_t i = 0; i < b->warmup + b->n; i++) {
        uint64_t t0 = now_ns();
        ssize_t r = az_pread(fd, buf, 4096, 0);
        uint64_t t = now_ns() - t0;
        if (r != 4096) {
            fprintf(stderr, "azalea-stub: pread of %s answered %zd (the file must hold 4 KiB)\n", file, r);
            return 1;
        }
        if (i >= b->warmup)
            s[i - b->warmup] = t;
    }
    az_close(fd);
    struct summary m = summarise(s, b->n);
    printf("{\"offload_pread4k_p50_ns\": %llu, \"offload_pread4k_p99_ns\": %llu, "
           "\"offload_pread4k_mean_ns\": %.1f, \"samples\": %llu, \"warmup\": %llu}\n",
           (unsigned long long)m.p50, (unsigned long long)m.p99, m.mean, (unsigned long long)b->n,
           (unsigned long long)b->warmup);
    free(s);
    return 0;
}

enum { BATCH = 32 };

struct tput {
    const struct bench_opts *b;
    struct az_chan ch;
    pthread_barrier_t *start;
    uint64_t t_start, t_end;
    uint64_t bad;
};

/* Keeps up to ring_entries NOPs in flight, submitted in batches, until n complete. */
static void pump_nops(struct tput *t, uint64_t n)
{
    struct az_request reqs[BATCH];
    struct az_completion done[256];
    memset(reqs, 0, sizeof reqs);
    uint64_t submitted = 0, completed = 0;
    uint32_t spins = 0;
    while (completed < n) {
        uint64_t room = t->ch.entries - (submitted - completed);
        uint64_t want = n - submitted;
        want = want < room ? want : room;
        want = want < BATCH ? want : BATCH;
        int progress = 0;
        if (want) {
            int r = az_submit_batch(&t->ch, reqs, (uint32_t)want);
            if (r > 0) {
                submitted += (uint64_t)r;
                progress = 1;
            }
        }
        uint32_t got = az_reap(&t->ch, done, 256);
        for (uint32_t i = 0; i < got; i++)
            t->bad += done[i].result != 0;
        completed += got;
        if (got || progress)
            spins = 0;
        else
            az_host_env.relax(NULL, spins++);
    }
}

static void *tput_thread(void *arg)
{
    struct tput *t = arg;
    pump_nops(t, t->b->warmup);
    pthread_barrier_wait(t->start);
    t->t_start = now_ns();
    pump_nops(t, t->b->n);
    t->t_end = now_ns();
    return NULL;
}

int bench_throughput(const struct bench_opts *b)
{
    uint32_t n = b->threads;
    struct tput *ts = calloc(n, sizeof *ts);
    pthread_t *th = calloc(n, sizeof *th);
    pthread_barrier_t start;
    if (!ts || !th)
        return 1;
    for (uint32_t i = 0; i < n; i++) {
        if (open_channel(b, b->channel + i, &ts[i].ch) != 0) {
            fprintf(stderr, "azalea-stub: --threads %u needs channels %u..%u\n", n, b->channel, b->channel + n - 1);
            return 1;
        }
        ts[i].b = b;
        ts[i].start = &start;
    }
    pthread_barrier_init(&start, NULL, n);
    for (uint32_t i = 0; i < n; i++)
        pthread_create(&th[i], NULL, tput_thread, &ts[i]);
    uint64_t first = UINT64_MAX, last = 0, bad = 0;
    for (uint32_t i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        first = ts[i].t_start < first ? ts[i].t_start : first;
        last = ts[i].t_end > last ? ts[i].t_end : last;
        bad += ts[i].bad;
    }
    pthread_barrier_destroy(&start);
    if (bad) {
        fprintf(stderr, "azalea-stub: %llu NOPs answered non-zero\n", (unsigned long long)bad);
        return 1;
    }
    double secs = (double)(last - first) / 1e9;
    double ops = (double)b->n * n;
    printf("{\"offload_null_ops_per_s_%s\": %.0f, \"threads\": %u, \"ops\": %.0f, \"batch\": %d, "
           "\"seconds\": %.3f}\n",
           n == 1 ? "1" : "n", ops / secs, n, ops, BATCH, secs);
    free(ts);
    free(th);
    return 0;
}
