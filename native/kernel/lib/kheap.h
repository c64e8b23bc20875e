/* kheap.h -- boot-time bump allocation of kernel memory, never freed. */
#ifndef KERNEL_KHEAP_H
#define KERNEL_KHEAP_H

#include <stddef.h>

/*
 * Zeroed memory from the end of the image up to KERNEL_HEAP_END; panics when
 * out.  Boot-time only: it has no lock, because only the boot CPU runs
 * until the APs start.  Anything a core needs later (for an instance) is
 * carved here for every core at boot; kheap_seal() closes the heap before
 * the node is READY, and a later call panics instead of racing.
 */
void *kheap_alloc(size_t size, size_t align);
void kheap_seal(void);

#endif
