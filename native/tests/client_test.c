/*
 * client_test.c -- the offload client against a C consumer thread
 * (ring_host.c) that echoes each request: result = opcode * 1000000 + args[0].
 * Covers attach validation, round trips, the uint32 position wrap, a full
 * ring, batches, several threads sharing a channel with completions out of
 * order, stray completions, and the doorbell.  Prints one line per test and
 * "N passed, N failed"; exits non-zero on any failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../client/az_client.h"
#include "check.h"
#include "ring_host.h"

int check_failures;

static int64_t echo(struct ring_host *h, const struct az_sqe *req)
{
    (void)h;
    return (int64_t)req->opcode * 1000000 + (int64_t)req->args[0];
}

/* A region in private memory with a consumer thread serving it. */
struct fixture {
    void *mem;
    size_t size;
    struct az_client client;
    struct az_chan *chan; /* channel 0 */
    struct ring_host host;
};

static int kicks;
static void count_kick(void *ctx, uint32_t *doorbell)
{
    (void)ctx;
    __atomic_fetch_add(&kicks, 1, __ATOMIC_RELAXED);
    syscall(SYS_futex, doorbell, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
}

static void yield_relax(void *ctx, uint32_t spins)
{
    (void)ctx;
    if (spins < 256)
        __builtin_ia32_pause();
    else
        sched_yield(); /* two cores, more threads than that */
}

static const struct az_env test_env = {count_kick, yield_relax, NULL};

static void setup(struct fixture *f, uint32_t nchannels, uint32_t entries, uint32_t start, int serve)
{
    memset(f, 0, sizeof *f);
    f->size = ring_host_region_size(nchannels, entries);
    f->mem = aligned_alloc(4096, f->size);
    ring_host_format(f->mem, 0x40000000, nchannels, entries, start);
    CHECK_EQ(az_attach(&f->client, f->mem, f->size, &test_env), AZ_CLIENT_OK);
    f->chan = aligned_alloc(64, sizeof *f->chan);
    CHECK_EQ(az_chan_open(&f->client, 0, f->chan), AZ_CLIENT_OK);
    f->host.handle = echo;
    f->host.idle_spins = 1000;
    f->host.sleep_timeout_ms = 5000;
    if (serve)
        ring_host_start(&f->host, f->mem);
}

static void teardown(struct fixture *f, int serving)
{
    if (serving)
        ring_host_stop(&f->host);
    free(f->chan);
    free(f->mem);
}

static void test_attach_rejects(void)
{
    size_t size = ring_host_region_size(2, 8);
    struct az_region *r = aligned_alloc(4096, size + 4096);
    struct az_client c;
    ring_host_format(r, 0, 2, 8, 0);
    CHECK_EQ(az_attach(&c, r, size, NULL), AZ_CLIENT_OK);
    CHECK_EQ(az_attach(NULL, r, size, NULL), AZ_ERR_NULL);
    CHECK_EQ(az_attach(&c, NULL, size, NULL), AZ_ERR_NULL);
    CHECK_EQ(az_attach(&c, (char *)r + 64, size, NULL), AZ_ERR_ALIGN);
    CHECK_EQ(az_attach(&c, r, sizeof *r - 1, NULL), AZ_ERR_TOO_SMALL);
    CHECK_EQ(az_attach(&c, r, size - 1, NULL), AZ_ERR_BEYOND_MAP);

    struct {
        const char *what;
        size_t offset, width;
        uint64_t value;
        int want;
    } cases[] = {
        {"magic", offsetof(struct az_region, magic), 8, 0x1234, AZ_ERR_MAGIC},
        {"version", offsetof(struct az_region, abi_version), 4, AZ_ABI_VERSION + 1, AZ_ERR_VERSION},
        {"no channels", offsetof(struct az_region, nchannels), 4, 0, AZ_ERR_GEOMETRY},
        {"too many channels", offsetof(struct az_region, nchannels), 4, AZ_MAX_CHANNELS + 1, AZ_ERR_GEOMETRY},
        {"entries not a power of two", offsetof(struct az_region, ring_entries), 4, 6, AZ_ERR_GEOMETRY},
        {"entries too few", offsetof(struct az_region, ring_entries), 4, 1, AZ_ERR_GEOMETRY},
        {"entries too many", offsetof(struct az_region, ring_entries), 4, 8192, AZ_ERR_GEOMETRY},
        {"offset inside header", offsetof(struct az_region, channel_offset), 8, 64, AZ_ERR_GEOMETRY},
        {"offset unaligned", offsetof(struct az_region, channel_offset), 8, 256 + 8, AZ_ERR_GEOMETRY},
        {"stride too small", offsetof(struct az_region, channel_stride), 8, 512, AZ_ERR_GEOMETRY},
        {"stride overflows", offsetof(struct az_region, channel_stride), 8, 1ull << 63, AZ_ERR_GEOMETRY},
        {"channels past size", offsetof(struct az_region, region_size), 8, 1024, AZ_ERR_GEOMETRY},
        {"size past mapping", offsetof(struct az_region, region_size), 8, ~0ull, AZ_ERR_BEYOND_MAP},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ring_host_format(r, 0, 2, 8, 0);
        memcpy((char *)r + cases[i].offset, &cases[i].value, cases[i].width);
        int got = az_attach(&c, r, size, NULL);
        if (got != cases[i].want)
            fprintf(stderr, "  case '%s': ", cases[i].what);
        CHECK_EQ(got, cases[i].want);
    }
    CHECK(strcmp(az_client_strerror(AZ_ERR_MAGIC), az_client_strerror(AZ_ERR_VERSION)) != 0);
    free(r);
}

static void test_chan_open(void)
{
    struct fixture f;
    setup(&f, 2, 8, 0, 0);
    struct az_chan ch;
    CHECK_EQ(az_chan_open(&f.client, 2, &ch), AZ_ERR_NO_CHANNEL);
    CHECK_EQ(az_chan_open(&f.client, 1, &ch), AZ_CLIENT_OK);
    /* A request left unconsumed by a previous client: the channel is busy. */
    struct az_request req = {.id = 1, .opcode = AZ_OP_NOP};
    CHECK_EQ(az_submit(&ch, &req), 0);
    struct az_chan again;
    CHECK_EQ(az_chan_open(&f.client, 1, &again), AZ_ERR_CHANNEL_BUSY);
    teardown(&f, 0);
}

static void test_round_trip(void)
{
    struct fixture f;
    setup(&f, 1, 16, 0, 1);
    for (uint64_t i = 0; i < 10000; i++) {
        uint16_t op = (uint16_t)(i % AZ_OP__LAST);
        int64_t r = az_call(f.chan, op, i, 1, 2, 3, 4, 5);
        if (r != (int64_t)op * 1000000 + (int64_t)i) {
            CHECK_EQ(r, (int64_t)op * 1000000 + (int64_t)i);
            break;
        }
    }
    CHECK_EQ(f.host.last.args[5], 5);
    CHECK_EQ(f.host.last.flags, 0);
    CHECK_EQ(f.chan->stray_completions, 0);
    teardown(&f, 1);
}

static void test_uint32_wrap(void)
{
    struct fixture f;
    uint32_t start = 0xffffffffu - 37;
    setup(&f, 1, 8, start, 1);
    for (uint64_t i = 0; i < 1000; i++) {
        int64_t r = az_call(f.chan, AZ_OP_READ, i, 0, 0, 0, 0, 0);
        if (r != 1000000 + (int64_t)i) {
            CHECK_EQ(r, 1000000 + (int64_t)i);
            break;
        }
    }
    struct az_channel *shared = f.chan->shared;
    CHECK_EQ(shared->sq_tail, (uint32_t)(start + 1000));
    CHECK_EQ(shared->sq_head, (uint32_t)(start + 1000));
    CHECK_EQ(shared->cq_head, (uint32_t)(start + 1000));
    CHECK(shared->sq_tail < start); /* it really wrapped */
    teardown(&f, 1);
}

static void test_full_ring(void)
{
    struct fixture f;
    setup(&f, 1, 8, 0, 1);
    f.host.paused = 1;
    struct az_request req = {.opcode = AZ_OP_WRITE};
    for (uint32_t i = 0; i < 8; i++) {
        req.id = i;
        req.args[0] = i;
        CHECK_EQ(az_submit(f.chan, &req), 0);
    }
    CHECK_EQ(az_submit(f.chan, &req), -AZ_EAGAIN);
    CHECK_EQ(az_submit_batch(f.chan, &req, 1), -AZ_EAGAIN);
    CHECK_EQ(az_submit_batch(f.chan, &req, 0), -AZ_EAGAIN);
    f.host.paused = 0;
    struct az_completion done[8];
    uint32_t got = 0;
    for (int spins = 0; got < 8 && spins < 10000000; spins++)
        got += az_reap(f.chan, done + got, 8 - got);
    CHECK_EQ(got, 8);
    for (uint32_t i = 0; i < got; i++) {
        CHECK_EQ(done[i].id, i);
        CHECK_EQ(done[i].result, 2000000 + (int64_t)i);
    }
    /* Room again. */
    CHECK_EQ(az_submit(f.chan, &req), 0);
    for (int spins = 0; az_reap(f.chan, done, 8) == 0 && spins < 10000000; spins++)
        ;
    teardown(&f, 1);
}

static void test_batch(void)
{
    struct fixture f;
    setup(&f, 1, 16, 100, 1);
    f.host.paused = 1;
    struct az_request reqs[10];
    memset(reqs, 0, sizeof reqs);
    for (int i = 0; i < 10; i++) {
        reqs[i].id = 500 + i;
        reqs[i].opcode = AZ_OP_PREAD64;
        reqs[i].args[0] = i;
    }
    struct az_channel *shared = f.chan->shared;
    CHECK_EQ(az_submit_batch(f.chan, reqs, 10), 10);
    /* One tail store for the whole batch, every entry published. */
    CHECK_EQ(shared->sq_tail, 110);
    struct az_sqe *sq = (struct az_sqe *)(shared + 1);
    for (uint32_t p = 100; p < 110; p++)
        CHECK_EQ(sq[p & 15].seq, p + 1);
    CHECK_EQ(sq[110 & 15].seq, 110 + 1 - 16); /* untouched: previous lap */
    /* Only 6 more fit: a partial batch. */
    CHECK_EQ(az_submit_batch(f.chan, reqs, 10), 6);
    CHECK_EQ(shared->sq_tail, 116);
    CHECK_EQ(az_submit_batch(f.chan, reqs, 10), -AZ_EAGAIN);
    f.host.paused = 0;
    struct az_completion done[16];
    uint32_t got = 0;
    for (int spins = 0; got < 16 && spins < 10000000; spins++)
        got += az_reap(f.chan, done + got, 16 - got);
    CHECK_EQ(got, 16);
    for (uint32_t i = 0; i < got; i++)
        CHECK_EQ(done[i].id, 500 + (i < 10 ? i : i - 10));
    teardown(&f, 1);
}

struct sharer {
    struct az_chan *chan;
    uint64_t base;
    int count;
    int errors;
};

static void *sharer_thread(void *arg)
{
    struct sharer *s = arg;
    for (uint64_t i = 0; i < (uint64_t)s->count; i++) {
        uint64_t v = s->base + i;
        int64_t r = az_call(s->chan, AZ_OP_RECVFROM, v, 0, 0, 0, 0, 0);
        if (r != 60 * 1000000 + (int64_t)v)
            s->errors++;
    }
    return NULL;
}

static void test_threads_share_channel(void)
{
    struct fixture f;
    /* Two entries for four callers: submitters find the ring full and must
     * help drain it; completions come out of submission order. */
    setup(&f, 1, 2, 0, 0);
    f.host.reverse = 1;
    ring_host_start(&f.host, f.mem);
    enum { N = 4 };
    struct sharer s[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        s[i] = (struct sharer){f.chan, (uint64_t)(i + 1) * 100000, 20000, 0};
        pthread_create(&th[i], NULL, sharer_thread, &s[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ(s[i].errors, 0);
    }
    CHECK_EQ(f.host.served, N * 20000);
    CHECK_EQ(f.chan->stray_completions, 0);
    CHECK_EQ(f.chan->free_slots, ~0ull);
    teardown(&f, 1);
}

static void test_more_callers_than_slots(void)
{
    struct fixture f;
    setup(&f, 1, 128, 0, 1);
    enum { N = AZ_CALL_SLOTS + 6 };
    struct sharer *s = calloc(N, sizeof *s);
    pthread_t *th = calloc(N, sizeof *th);
    for (int i = 0; i < N; i++) {
        s[i] = (struct sharer){f.chan, (uint64_t)(i + 1) * 100000, 500, 0};
        pthread_create(&th[i], NULL, sharer_thread, &s[i]);
    }
    int errors = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        errors += s[i].errors;
    }
    CHECK_EQ(errors, 0);
    CHECK_EQ(f.host.served, (uint64_t)N * 500);
    free(s);
    free(th);
    teardown(&f, 1);
}

static void test_stray_completions_dropped(void)
{
    struct fixture f;
    setup(&f, 1, 8, 0, 1);
    f.host.inject_strays = 2;
    CHECK_EQ(az_call(f.chan, AZ_OP_CLOSE, 7, 0, 0, 0, 0, 0), 5000007);
    CHECK_EQ(f.chan->stray_completions, 2);
    CHECK_EQ(az_call(f.chan, AZ_OP_CLOSE, 8, 0, 0, 0, 0, 0), 5000008);
    teardown(&f, 1);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A host that sleeps on the doorbell soon after it runs out of work. */
static void setup_sleepy(struct fixture *f, uint32_t nchannels, uint32_t entries)
{
    setup(f, nchannels, entries, 0, 0);
    f->host.sleepy = 1;
    f->host.idle_spins = 100;
    f->host.sleep_timeout_ms = 10000; /* far longer than the test allows */
    ring_host_start(&f->host, f->mem);
}

/* Waits until the host announced it may sleep, then gives it time to fall asleep. */
static void wait_until_host_sleeps(struct fixture *f)
{
    while (!(__atomic_load_n(&f->chan->shared->flags, __ATOMIC_ACQUIRE) & AZ_CHANNEL_NEED_WAKEUP))
        sched_yield();
    usleep(2000);
}

static void test_doorbell_wakes_sleeping_host(void)
{
    struct fixture f;
    setup_sleepy(&f, 2, 8);
    for (int rounds = 0; rounds < 5; rounds++) {
        wait_until_host_sleeps(&f);
        int k0 = kicks;
        uint32_t bell0 = f.client.region->doorbell;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_EQ(az_call(f.chan, AZ_OP_NOP, 3, 0, 0, 0, 0, 0), 3);
        CHECK(seconds_since(&t0) < 2.0);
        CHECK(kicks > k0);
        CHECK(f.client.region->doorbell != bell0);
    }
    CHECK(f.host.sleeps >= 5);
    CHECK_EQ(f.host.timeouts, 0);
    teardown(&f, 1);
}

static void test_no_kick_while_host_busy(void)
{
    struct fixture f;
    setup(&f, 1, 8, 0, 1); /* never sleeps, never sets NEED_WAKEUP */
    int k0 = kicks;
    for (int i = 0; i < 1000; i++)
        az_call(f.chan, AZ_OP_NOP, 0, 0, 0, 0, 0, 0);
    CHECK_EQ(kicks, k0);
    CHECK_EQ(f.client.region->doorbell, 0);
    teardown(&f, 1);
}

/* Quiet submissions kick nobody; the one doorbell after them wakes the host for all. */
static void test_quiet_submissions_share_one_doorbell(void)
{
    struct fixture f;
    setup_sleepy(&f, 1, 16);
    for (int rounds = 0; rounds < 3; rounds++) {
        wait_until_host_sleeps(&f);
        int k0 = kicks;
        for (uint64_t i = 0; i < 8; i++) {
            struct az_request req = {.id = 100 + i, .opcode = AZ_OP_NOP, .args = {i}};
            CHECK_EQ(az_submit_quiet(f.chan, &req), 0);
        }
        usleep(20000);
        CHECK_EQ(kicks, k0); /* nobody rang: the host sleeps on */
        az_doorbell(f.chan);
        CHECK_EQ(kicks, k0 + 1); /* one kick for eight requests */
        struct az_completion done[8];
        uint32_t got = 0;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (got < 8 && seconds_since(&t0) < 2.0) {
            uint32_t n = az_reap(f.chan, done + got, 8 - got);
            got += n;
            if (n == 0)
                sched_yield();
        }
        CHECK_EQ(got, 8);
        for (uint32_t i = 0; i < got; i++)
            CHECK_EQ(done[i].result, (int64_t)(done[i].id - 100));
        CHECK_EQ(az_reap(f.chan, done, 8), 0);
    }
    CHECK_EQ(f.host.timeouts, 0);
    teardown(&f, 1);
}

static const struct test tests[] = {
    {"attach rejects bad regions", test_attach_rejects},
    {"channel open: range and busy", test_chan_open},
    {"call round trip", test_round_trip},
    {"uint32 position wrap", test_uint32_wrap},
    {"full ring answers EAGAIN", test_full_ring},
    {"batch submit publishes once, partially when nearly full", test_batch},
    {"threads share a channel, completions out of order", test_threads_share_channel},
    {"more callers than call slots", test_more_callers_than_slots},
    {"stray completions dropped", test_stray_completions_dropped},
    {"doorbell wakes a sleeping host", test_doorbell_wakes_sleeping_host},
    {"no kick while the host is busy", test_no_kick_while_host_busy},
    {"quiet submissions share one doorbell", test_quiet_submissions_share_one_doorbell},
};

static const char *current_test;
static int passed, failed;

/* A hang is a failure, not a stuck build: name the test and give the count. */
static void on_alarm(int sig)
{
    (void)sig;
    char line[256];
    int n = snprintf(line, sizeof line, "FAIL %s (hung for 60 s)\n%d passed, %d failed\n", current_test, passed,
                     failed + 1);
    if (write(1, line, (size_t)n) < 0)
        _exit(2);
    _exit(1);
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    const struct test *lists[] = {tests, azlib_tests};
    const int counts[] = {(int)(sizeof tests / sizeof tests[0]), azlib_test_count};
    for (int l = 0; l < 2; l++) {
        for (int i = 0; i < counts[l]; i++) {
            check_failures = 0;
            current_test = lists[l][i].name;
            alarm(60);
            lists[l][i].run();
            alarm(0);
            printf("%s %s\n", check_failures ? "FAIL" : "ok  ", lists[l][i].name);
            fflush(stdout);
            if (check_failures)
                failed++;
            else
                passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
