/* kheap.c -- per-CPU structures and stacks are carved here at boot. */
#include "lib/kheap.h"

#include <stdint.h>

#include "arch/x86.h"
#include "lib/console.h"
#include "lib/string.h"

extern char __image_end[];
static uint64_t next;

void *kheap_alloc(size_t size, size_t align)
{
    if (!next)
        next = (uint64_t)__image_end;
    uint64_t p = (next + align - 1) & ~(uint64_t)(align - 1);
    if (V2P(p + size) > KERNEL_HEAP_END)
        panic("kheap: out of memory (%lu bytes wanted)", (uint64_t)size);
    next = p + size;
    memset((void *)p, 0, size);
    return (void *)p;
}
