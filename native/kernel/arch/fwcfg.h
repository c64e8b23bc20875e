/*
 * fwcfg.h -- zeroing guest-physical memory through QEMU's fw_cfg DMA.
 *
 * Why: under TCG, a page that held code QEMU translated (an earlier
 * instance's program) turns every guest store into a slow path until each
 * stale translation on it is invalidated one store at a time: zeroing 32 KiB
 * of old code took 87 ms.  A fw_cfg DMA read of an item that does not exist
 * makes QEMU zero the destination with one memset and drop the page's
 * translations in bulk.  Also the fastest memset under TCG for large ranges.
 */
#ifndef KERNEL_FWCFG_H
#define KERNEL_FWCFG_H

#include <stdint.h>

void fwcfg_init(void); /* boot CPU: detects the DMA interface */
/* Zeroes physical [pa, pa + len): 0, or -1 if there is no DMA interface
 * (the caller then stores zeroes itself). */
int phys_zero(uint64_t pa, uint64_t len);

#endif
