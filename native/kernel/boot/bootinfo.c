/* bootinfo.c -- the PVH start_info: ACPI RSDP, memory map, command line. */
#include "boot/bootinfo.h"

#include "lib/console.h"

#define HVM_START_MAGIC 0x336ec578
#define E820_RAM        1

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

struct bootinfo bootinfo;

/* The value of "key=N" in the command line (decimal or 0x hex), or 0. */
static uint64_t cmdline_number(const char *cmd, const char *key)
{
    for (const char *p = cmd; *p; p++) {
        if (p != cmd && p[-1] != ' ')
            continue;
        const char *k = key, *q = p;
        while (*k && *q == *k) {
            k++;
            q++;
        }
        if (*k || *q != '=')
            continue;
        q++;
        uint64_t v = 0;
        unsigned base = 10;
        if (q[0] == '0' && q[1] == 'x') {
            base = 16;
            q += 2;
        }
        for (;; q++) {
            unsigned d;
            if (*q >= '0' && *q <= '9')
                d = (unsigned)(*q - '0');
            else if (base == 16 && *q >= 'a' && *q <= 'f')
                d = (unsigned)(*q - 'a' + 10);
            else
                break;
            v = v * base + d;
        }
        return v;
    }
    return 0;
}

void bootinfo_parse_pvh(uint64_t start_info)
{
    /* The node page tables identity-map 0..4 GiB; the loader stays below. */
    const struct hvm_start_info *si = (const void *)start_info;
    if (!start_info || si->magic != HVM_START_MAGIC) {
        kprintf("boot: no PVH start_info at %lx\n", start_info);
        return;
    }
    bootinfo.rsdp = si->rsdp_paddr;
    if (si->cmdline_paddr)
        bootinfo.nonce = cmdline_number((const char *)si->cmdline_paddr, "azalea.nonce");
    if (si->version >= 1 && si->memmap_paddr) {
        const struct hvm_memmap_entry *e = (const void *)si->memmap_paddr;
        for (uint32_t i = 0; i < si->memmap_entries && bootinfo.nram < BOOT_MAX_MEMMAP; i++)
            if (e[i].type == E820_RAM && e[i].size)
                bootinfo.ram[bootinfo.nram++] = (struct boot_mem){e[i].addr, e[i].size};
    }
}
