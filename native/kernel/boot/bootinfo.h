/*
 * bootinfo.h -- what the loader told us, copied out of its structures at
 * once (they live in memory the kernel does not reserve).
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <stdint.h>

#define BOOT_MAX_MEMMAP 64

struct boot_mem {
    uint64_t base, size;
};

struct bootinfo {
    uint64_t rsdp;  /* physical, 0 if the loader gave none */
    uint64_t nonce; /* azalea.nonce= on the command line */
    uint32_t nram;  /* usable RAM ranges from the loader's map */
    struct boot_mem ram[BOOT_MAX_MEMMAP];
};

extern struct bootinfo bootinfo;

/* Reads struct hvm_start_info at physical `start_info` (PVH boot protocol). */
void bootinfo_parse_pvh(uint64_t start_info);

#endif
