/*
 * bench_offload.h -- the stub's benchmark modes.  Each prints one JSON
 * object on one line (keys in stub_main.c's header comment) and returns 0,
 * or prints a reason on stderr and returns non-zero.
 */
#ifndef AZALEA_BENCH_OFFLOAD_H
#define AZALEA_BENCH_OFFLOAD_H

#include <stdint.h>

#include "az_host.h"

struct bench_opts {
    struct az_host *host;
    uint32_t channel; /* the first channel to use */
    uint32_t threads; /* bench-throughput: one channel each, channel .. channel + threads - 1 */
    uint64_t warmup;  /* calls before measuring (per thread) */
    uint64_t n;       /* calls measured (per thread) */
};

int bench_null(const struct bench_opts *b);
int bench_pread(const struct bench_opts *b, const char *file);
int bench_throughput(const struct bench_opts *b);

#endif
