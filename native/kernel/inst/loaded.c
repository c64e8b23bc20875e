/* loaded.c -- the loader's record of the program pages it wrote (loaded.h). */
#include "inst/loaded.h"

#include "layout.h"
#include "lib/kheap.h"

#define SLOTS     65536 /* 512 KiB of kernel heap; 256 MiB of images before slots collide */
#define HASH_BITS 44    /* a slot packs the page number (< 2^20: 4 GiB) and 44 hash bits */

static uint64_t *slots;

void loaded_init(void)
{
    slots = kheap_alloc(SLOTS * sizeof *slots, PAGE_SIZE);
}

uint64_t loaded_hash(const void *page)
{
    const uint64_t *w = page;
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < PAGE_SIZE / 8; i++)
        h = (h ^ w[i]) * 0xFF51AFD7ED558CCDull + (uint64_t)i;
    return h ^ (h >> 29);
}

static uint64_t tag(uint64_t pa, uint64_t h)
{
    return (pa / PAGE_SIZE) << HASH_BITS | (h & ((1ull << HASH_BITS) - 1));
}

int loaded_same(uint64_t pa, uint64_t h)
{
    return __atomic_load_n(&slots[(pa / PAGE_SIZE) % SLOTS], __ATOMIC_RELAXED) == tag(pa, h);
}

void loaded_record(uint64_t pa, uint64_t h)
{
    __atomic_store_n(&slots[(pa / PAGE_SIZE) % SLOTS], tag(pa, h), __ATOMIC_RELAXED);
}
