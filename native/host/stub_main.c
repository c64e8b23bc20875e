/*
 * azalea-stub -- plays an Azalea unikernel on the host: it maps the shared
 * file in which the offload proxy (Java) has formatted a region, and runs a
 * scripted workload or a benchmark through that region's channel.
 *
 * Usage:
 *   azalea-stub --shm PATH --gpa-base HEX [--region-offset HEX] [--channel N]
 *               [--threads N] [--warmup N] MODE [ARGS]
 *   azalea-stub --direct MODE [ARGS]        (files and sockets only)
 *
 *   --shm PATH          the shared file (e.g. /dev/shm/azalea-...), mapped whole, MAP_SHARED
 *   --gpa-base HEX      the guest-physical address of the file's first byte
 *   --region-offset HEX where in the file the region starts (4 KiB aligned; default 0).
 *                       The region's region_gpa must equal gpa-base + region-offset.
 *                       The file after the region is the stub's buffer arena: GPA of
 *                       a pointer p = gpa-base + (p - start of mapping).
 *   --channel N         the channel to use (default 0); bench-throughput uses N..N+T-1
 *   --threads T         bench-throughput's client threads, one channel each (default 1)
 *   --warmup N          calls before measuring, per thread (default 100000)
 *   --direct            run the workload with libc on the host, in the current
 *                       directory, no shared file: the reference transcript
 *
 * Modes:
 *   files               the file workload (work_files.c), in a new directory "azw"
 *                       under the root (through the proxy) or the current directory
 *   sockets PORT        the socket workload (work_sockets.c) against an echo server
 *                       on 127.0.0.1:PORT that echoes every byte and closes on EOF
 *   bench-null N        N timed NOP round trips, one at a time:
 *                         {"offload_null_rtt_p50_ns", "offload_null_rtt_p99_ns",
 *                          "offload_null_rtt_mean_ns", "samples", "warmup"}
 *   bench-pread N FILE  N timed 4 KiB preads at offset 0 of FILE (a path under the
 *                       proxy's root; at least 4 KiB long), into the shared arena:
 *                         {"offload_pread4k_p50_ns", "offload_pread4k_p99_ns",
 *                          "offload_pread4k_mean_ns", "samples", "warmup"}
 *   bench-throughput N  N NOPs per thread, batched, rings kept full:
 *                         {"offload_null_ops_per_s_1" (T = 1) or
 *                          "offload_null_ops_per_s_n" (T > 1), "threads", "ops",
 *                          "batch", "seconds"}
 *   Each bench mode prints exactly one JSON object on one line on stdout.
 *
 * Transcripts (files, sockets): one line per step on stdout,
 *   <step-name> <result>[ <key>=<value>...]
 * normalised so that a run through the proxy and a --direct run print the
 * same lines (transcript.h says how); the last line is "done failures=N".
 *
 * Exit status: 0 success; 1 a workload step answered differently from Linux
 * (see the UNEXPECTED lines) or a benchmark failed; 2 bad usage or the region
 * could not be attached (one line on stderr says why).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "az_host.h"
#include "bench_offload.h"
#include "sysops.h"
#include "stub_workloads.h"

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "azalea-stub: %s\n", why);
    fprintf(stderr, "usage: azalea-stub --shm PATH --gpa-base HEX [--region-offset HEX] [--channel N]\n"
                    "                   [--threads N] [--warmup N] MODE [ARGS]\n"
                    "       azalea-stub --direct files|sockets PORT\n"
                    "modes: files | sockets PORT | bench-null N | bench-pread N FILE | bench-throughput N\n");
    return 2;
}

static int parse_u64(const char *s, int base, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

struct options {
    const char *shm;
    uint64_t gpa_base, region_offset, channel, threads, warmup;
    int have_gpa_base, direct;
};

static int run_workload(const struct sysops *ops, const char *mode, int argc, char **argv)
{
    int err = ops->thread_init();
    if (err) {
        fprintf(stderr, "azalea-stub: cannot set up buffers: %s\n", strerror(-err));
        return 2;
    }
    if (strcmp(mode, "files") == 0)
        return workload_files(ops, stdout) ? 1 : 0;
    uint64_t port;
    if (argc < 1 || parse_u64(argv[0], 10, &port) || port == 0 || port > 65535)
        return usage("sockets needs a PORT (1..65535)");
    return workload_sockets(ops, stdout, (int)port) ? 1 : 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"shm", required_argument, 0, 's'},
        {"gpa-base", required_argument, 0, 'g'},
        {"region-offset", required_argument, 0, 'r'},
        {"channel", required_argument, 0, 'c'},
        {"threads", required_argument, 0, 't'},
        {"warmup", required_argument, 0, 'w'},
        {"direct", no_argument, 0, 'd'},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    struct options o = {.threads = 1, .warmup = 100000};
    int c;
    while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 's':
            o.shm = optarg;
            break;
        case 'g':
            bad = parse_u64(optarg, 16, &o.gpa_base);
            o.have_gpa_base = 1;
            break;
        case 'r':
            bad = parse_u64(optarg, 16, &o.region_offset);
            break;
        case 'c':
            bad = parse_u64(optarg, 10, &o.channel) || o.channel >= AZ_MAX_CHANNELS;
            break;
        case 't':
            bad = parse_u64(optarg, 10, &o.threads) || o.threads < 1 || o.threads > AZ_MAX_CHANNELS;
            break;
        case 'w':
            bad = parse_u64(optarg, 10, &o.warmup);
            break;
        case 'd':
            o.direct = 1;
            break;
        case 'h':
            usage(NULL);
            return 0;
        default:
            return usage(NULL);
        }
        if (bad)
            return usage("bad number in an option");
    }
    if (optind >= argc)
        return usage("no MODE");
    const char *mode = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    int workload = strcmp(mode, "files") == 0 || strcmp(mode, "sockets") == 0;
    int bench =
        strcmp(mode, "bench-null") == 0 || strcmp(mode, "bench-pread") == 0 || strcmp(mode, "bench-throughput") == 0;
    if (!workload && !bench)
        return usage("unknown MODE");
    /* Transcripts are compared line by line: keep every line whole even if we crash. */
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (o.direct) {
        if (!workload)
            return usage("--direct runs files or sockets only");
        return run_workload(&sysops_direct, mode, nargs, args);
    }
    if (!o.shm || !o.have_gpa_base)
        return usage("--shm and --gpa-base are required (or --direct)");
    static struct az_host host;
    char err[256];
    if (az_host_open(&host, o.shm, o.gpa_base, o.region_offset, err, sizeof err) != 0) {
        fprintf(stderr, "azalea-stub: %s\n", err);
        return 2;
    }
    int rc;
    if (workload) {
        static struct az_chan chan;
        int e = az_chan_open(&host.client, (uint32_t)o.channel, &chan);
        if (e != AZ_CLIENT_OK) {
            fprintf(stderr, "azalea-stub: channel %llu: %s\n", (unsigned long long)o.channel, az_client_strerror(e));
            return 2;
        }
        rc = run_workload(sysops_offload(&host, &chan), mode, nargs, args);
    } else {
        struct bench_opts b = {&host, (uint32_t)o.channel, (uint32_t)o.threads, o.warmup, 0};
        if (nargs < 1 || parse_u64(args[0], 10, &b.n) || b.n == 0)
            return usage("a bench mode needs a count N > 0");
        if (strcmp(mode, "bench-null") == 0)
            rc = bench_null(&b);
        else if (strcmp(mode, "bench-pread") == 0)
            rc = nargs < 2 ? usage("bench-pread needs N FILE") : bench_pread(&b, args[1]);
        else
            rc = bench_throughput(&b);
    }
    az_host_close(&host);
    return rc;
}
