/*
 * loaded.h -- which program pages the loader itself last wrote, node-wide.
 *
 * The ELF loader skips writing a page whose contents are already right
 * (under TCG, rewriting a page of translated code costs ~0.15 ms per stale
 * translation).  Equal contents are not enough: the host may have written
 * those bytes into memory where QEMU still holds translations of older
 * code, and host writes do not invalidate translations.  So a page is
 * skipped only if this table says the loader wrote these very contents
 * there last: then any translation of the page is of these contents (guest
 * stores invalidate as they go).  Slots are direct-mapped and may be
 * overwritten: a lost record only costs a write.
 */
#ifndef KERNEL_LOADED_H
#define KERNEL_LOADED_H

#include <stdint.h>

void loaded_init(void);
uint64_t loaded_hash(const void *page);
/* Whether the loader last wrote contents with hash h at physical page pa. */
int loaded_same(uint64_t pa, uint64_t h);
void loaded_record(uint64_t pa, uint64_t h);

#endif
