/*
 * az_host.h -- a host process playing the unikernel's side of the channel:
 * it maps the shared file the proxy formatted, attaches the client to the
 * region in it, and lends the rest of the file to its threads as buffer
 * memory (the proxy can only reach memory inside the guest's partition, so
 * every buffer an offloaded call names must live in the shared file).
 *
 *   file offset 0                region_offset       region end          file end
 *   |   (unused by the stub)     | az_region + rings |  buffer arena      |
 *   GPA = gpa_base + file offset
 */
#ifndef AZALEA_HOST_H
#define AZALEA_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "../client/az_client.h"

struct az_host {
    int fd;
    char *map; /* the whole file, MAP_SHARED */
    size_t map_size;
    uint64_t gpa_base; /* GPA of file offset 0 */
    struct az_client client;
    char *arena_lo;    /* first byte after the region, cache-line aligned */
    char *arena_hi;    /* end of the mapping */
    size_t arena_next; /* carving cursor, atomic */
};

/*
 * Maps `path` and attaches to the region at `region_offset`.  On failure
 * returns -1 with a one-line reason in `err` (and nothing left mapped).
 */
int az_host_open(struct az_host *h, const char *path, uint64_t gpa_base, uint64_t region_offset, char *err,
                 size_t errlen);
void az_host_close(struct az_host *h);

/* A fresh 4 KiB-aligned piece of the buffer arena, or NULL if it is used up. */
void *az_host_carve(struct az_host *h, size_t size);

/*
 * The GPA of [p, p + len) if it lies wholly in the buffer arena: 0, or -1.
 * Ranges elsewhere (the stack, the heap, the rings themselves) are refused:
 * the proxy could not reach them, or must not be handed them.
 */
int az_host_gpa(const struct az_host *h, const void *p, size_t len, uint64_t *gpa);

/* The environment hooks for host processes: FUTEX_WAKE kick, pause-then-yield relax. */
extern const struct az_env az_host_env;

#endif
