/* node.c -- publishing the node's shape to the host. */
#include "node/node.h"

#include "arch/cpu.h"
#include "arch/lapic.h"
#include "arch/x86.h"
#include "boot/bootinfo.h"
#include "lib/console.h"
#include "lib/string.h"
#include "node/acpi.h"
#include "node/clock.h"
#include "percpu.h"

_Static_assert(AZ_NODE_INFO_GPA + AZ_NODE_INFO_SIZE <= AZ_NODE_RESERVED_END, "node block is reserved");
_Static_assert(KERNEL_HEAP_END <= AZ_NODE_INFO_GPA, "kernel heap ends before the node block");
_Static_assert(AZ_NODE_RESERVED_END == KERNEL_RESERVED_END, "one reserved end");
_Static_assert(MAX_CPUS <= AZ_NODE_MAX_CPUS, "every CPU has a mailbox");

struct az_node_info *node_info;

void node_info_init(uint64_t nonce)
{
    node_info = P2V(AZ_NODE_INFO_GPA);
    memset(node_info, 0, AZ_NODE_INFO_SIZE);
    node_info->magic = AZ_NODE_MAGIC;
    node_info->abi_version = AZ_ABI_VERSION;
    node_info->boot_nonce = nonce;
    node_info->tsc_boot = tsc_at_boot;
    node_info->mailbox_gpa = AZ_NODE_INFO_GPA + AZ_NODE_MAILBOX_OFFSET;
    node_info->mailbox_stride = sizeof(struct az_core_mailbox);
    __atomic_store_n(&node_info->state, AZ_NODE_BOOTING, __ATOMIC_RELEASE);
}

struct az_core_mailbox *node_mailbox(uint32_t cpu_index)
{
    return (struct az_core_mailbox *)((char *)node_info + AZ_NODE_MAILBOX_OFFSET) + cpu_index;
}

static void add_range(uint64_t base, uint64_t end, uint32_t numa)
{
    if (base < AZ_NODE_RESERVED_END)
        base = AZ_NODE_RESERVED_END;
    base = (base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    end &= ~(uint64_t)(PAGE_SIZE - 1);
    if (end <= base)
        return;
    if (node_info->nranges == AZ_NODE_MAX_RANGES) {
        kprintf("node: too many memory ranges, dropping %lx-%lx\n", base, end);
        return;
    }
    struct az_node_range *r = &node_info->ranges[node_info->nranges++];
    r->base = base;
    r->size = end - base;
    r->numa_node = numa;
}

/* Usable RAM (the loader's map) intersected with the SRAT's NUMA ranges. */
static void publish_ranges(void)
{
    if (!acpi.have_srat || acpi.nmem == 0) {
        for (uint32_t i = 0; i < bootinfo.nram; i++)
            add_range(bootinfo.ram[i].base, bootinfo.ram[i].base + bootinfo.ram[i].size, 0);
        return;
    }
    for (uint32_t m = 0; m < acpi.nmem; m++) {
        uint64_t mb = acpi.mem[m].base, me = mb + acpi.mem[m].size;
        if (bootinfo.nram == 0) {
            add_range(mb, me, acpi.mem[m].node);
            continue;
        }
        for (uint32_t i = 0; i < bootinfo.nram; i++) {
            uint64_t rb = bootinfo.ram[i].base, re = rb + bootinfo.ram[i].size;
            uint64_t b = rb > mb ? rb : mb, e = re < me ? re : me;
            if (b < e)
                add_range(b, e, acpi.mem[m].node);
        }
    }
}

void node_publish(void)
{
    struct az_node_info *n = node_info;
    n->ncpus = ncpus;
    n->nnuma = acpi.nnodes;
    n->monitor_cpu = 0;
    for (uint32_t i = 0; i < ncpus; i++) {
        n->cpus[i].apic_id = cpus[i]->apic_id;
        n->cpus[i].numa_node = cpus[i]->numa_node;
        n->cpus[i].flags = (cpus[i]->online ? AZ_CPU_ONLINE : 0) | (i == 0 ? AZ_CPU_MONITOR : 0);
    }
    publish_ranges();
    n->tsc_hz = tsc_hz;
    n->features = (lapic_x2apic ? AZ_NODE_F_X2APIC : 0) | (cpu_features.rdrand ? AZ_NODE_F_RDRAND : 0) |
                  (cpu_features.rdseed ? AZ_NODE_F_RDSEED : 0) | (cpu_features.xsave ? AZ_NODE_F_XSAVE : 0) |
                  (cpu_features.avx ? AZ_NODE_F_AVX : 0) | (acpi.have_srat ? AZ_NODE_F_SRAT : 0);
    n->tsc_ready = rdtsc();
    __atomic_store_n(&n->state, AZ_NODE_READY, __ATOMIC_RELEASE);
}

void node_log_layout(void)
{
    for (uint32_t numa = 0; numa < node_info->nnuma; numa++) {
        uint32_t first = ~0u, last = 0, count = 0;
        for (uint32_t i = 0; i < ncpus; i++) {
            if (cpus[i]->numa_node != numa)
                continue;
            count++;
            first = i < first ? i : first;
            last = i;
        }
        kprintf("numa %u: %u CPUs (index %u..%u)\n", numa, count, count ? first : 0, last);
    }
    for (uint32_t i = 0; i < node_info->nranges; i++) {
        const struct az_node_range *r = &node_info->ranges[i];
        kprintf("memory %lx-%lx (%lu MiB) numa %u\n", r->base, r->base + r->size, r->size >> 20, r->numa_node);
    }
}

void node_panic(const char *msg)
{
    if (!node_info)
        return;
    strlcpy(node_info->panic_message, msg, sizeof node_info->panic_message);
    __atomic_store_n(&node_info->state, AZ_NODE_PANIC, __ATOMIC_RELEASE);
}

int node_range_usable(uint64_t gpa, uint64_t size)
{
    for (uint32_t i = 0; i < node_info->nranges; i++) {
        const struct az_node_range *r = &node_info->ranges[i];
        if (gpa >= r->base && size <= r->size && gpa - r->base <= r->size - size)
            return 1;
    }
    return 0;
}
