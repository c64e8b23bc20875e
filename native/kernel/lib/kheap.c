/* kheap.c -- per-CPU structures and stacks are carved here at boot. */
#include "lib/kheap.h"

#include <stdint.h>

#include "arch/x86.h"
#include "lib/console.h"
#include "lib/string.h"

extern char __image_end[];
static uint64_t next;
static int sealed;

/* Two cores bumping `next` at once get overlapping blocks, and one's memset
 * wipes what the other just stored: that once zeroed a core's copy of a
 * START descriptor (start: no az_boot (magic 0 ...)) on a node's first
 * launches, when every core first allocated its buffers lazily and at once. */
void kheap_seal(void)
{
    __atomic_store_n(&sealed, 1, __ATOMIC_RELEASE);
}

void *kheap_alloc(size_t size, size_t align)
{
    if (__atomic_load_n(&sealed, __ATOMIC_ACQUIRE))
        panic("kheap: %lu bytes asked for after boot (boot-time only: it has no lock)", (uint64_t)size);
    if (!next)
        next = (uint64_t)__image_end;
    uint64_t p = (next + align - 1) & ~(uint64_t)(align - 1);
    if (V2P(p + size) > KERNEL_HEAP_END)
        panic("kheap: out of memory (%lu bytes wanted)", (uint64_t)size);
    next = p + size;
    memset((void *)p, 0, size);
    return (void *)p;
}
