/* kheap.h -- boot-time bump allocation of kernel memory, never freed. */
#ifndef KERNEL_KHEAP_H
#define KERNEL_KHEAP_H

#include <stddef.h>

/* Zeroed memory from the end of the image up to KERNEL_HEAP_END; panics when out. */
void *kheap_alloc(size_t size, size_t align);

#endif
