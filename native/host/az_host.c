/* az_host.c -- map the shared file, attach, carve the buffer arena (see az_host.h). */
#define _GNU_SOURCE
#include "az_host.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

_Static_assert(AZ_EAGAIN == EAGAIN, "the client's EAGAIN is Linux's");

static void host_kick(void *ctx, uint32_t *doorbell)
{
    (void)ctx;
    /* Not FUTEX_PRIVATE: the proxy sleeps on this word in another process. */
    syscall(SYS_futex, doorbell, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/*
 * Spin briefly (a round trip through the proxy takes well under a
 * microsecond when it is awake), then yield (this machine may have fewer
 * cores than spinning threads plus the proxy), then sleep (the proxy may be
 * blocked on a slow call such as accept, for seconds).
 */
static void host_relax(void *ctx, uint32_t spins)
{
    (void)ctx;
    if (spins < 2048) {
        __builtin_ia32_pause();
    } else if (spins < 65536) {
        sched_yield();
    } else {
        struct timespec ts = {0, 50 * 1000};
        nanosleep(&ts, NULL);
    }
}

const struct az_env az_host_env = {host_kick, host_relax, NULL};

int az_host_open(struct az_host *h, const char *path, uint64_t gpa_base, uint64_t region_offset, char *err,
                 size_t errlen)
{
    memset(h, 0, sizeof *h);
    h->fd = -1;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        snprintf(err, errlen, "%s: empty or unreadable", path);
        close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    if (region_offset % AZ_REGION_ALIGN != 0 || region_offset >= size) {
        snprintf(err, errlen, "region offset 0x%llx is not 4 KiB aligned inside %s (%zu bytes)",
                 (unsigned long long)region_offset, path, size);
        close(fd);
        return -1;
    }
    char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        snprintf(err, errlen, "cannot map %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    int rc = az_attach(&h->client, map + region_offset, size - region_offset, &az_host_env);
    if (rc != AZ_CLIENT_OK) {
        snprintf(err, errlen, "no region at offset 0x%llx of %s: %s", (unsigned long long)region_offset, path,
                 az_client_strerror(rc));
        munmap(map, size);
        close(fd);
        return -1;
    }
    uint64_t region_gpa = h->client.region->region_gpa;
    if (region_gpa != gpa_base + region_offset) {
        snprintf(err, errlen, "region says it is at GPA 0x%llx, but --gpa-base + --region-offset is 0x%llx",
                 (unsigned long long)region_gpa, (unsigned long long)(gpa_base + region_offset));
        munmap(map, size);
        close(fd);
        return -1;
    }
    h->fd = fd;
    h->map = map;
    h->map_size = size;
    h->gpa_base = gpa_base;
    uint64_t end = region_offset + h->client.region_size;
    end = (end + AZ_CACHE_LINE - 1) & ~(uint64_t)(AZ_CACHE_LINE - 1);
    h->arena_lo = map + (end < size ? end : size);
    h->arena_hi = map + size;
    h->arena_next = 0;
    return 0;
}

void az_host_close(struct az_host *h)
{
    if (h->map)
        munmap(h->map, h->map_size);
    if (h->fd >= 0)
        close(h->fd);
    h->map = NULL;
    h->fd = -1;
}

void *az_host_carve(struct az_host *h, size_t size)
{
    size_t avail = (size_t)(h->arena_hi - h->arena_lo);
    size = (size + 4095) & ~(size_t)4095;
    /* The first carve starts at the next page boundary above arena_lo. */
    size_t lead = (size_t)(-(uintptr_t)h->arena_lo & 4095);
    size_t at = __atomic_fetch_add(&h->arena_next, size, __ATOMIC_RELAXED);
    if (at > avail || lead > avail - at || size > avail - at - lead)
        return NULL;
    return h->arena_lo + lead + at;
}

int az_host_gpa(const struct az_host *h, const void *p, size_t len, uint64_t *gpa)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)h->arena_lo, hi = (uintptr_t)h->arena_hi;
    if (a < lo || a > hi || len > hi - a)
        return -1;
    *gpa = h->gpa_base + (uint64_t)(a - (uintptr_t)h->map);
    return 0;
}
