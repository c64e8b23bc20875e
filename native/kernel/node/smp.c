/*
 * smp.c -- starting the application processors.  All APs are started at
 * once by broadcast INIT-SIPI-SIPI and find their own struct cpu by APIC id
 * (trampoline.S); the last one to park wakes the boot CPU, which waits
 * halted rather than spinning: under TCG a spinning vCPU takes a host core
 * from the 71 others trying to boot.
 */
#include "node/smp.h"

#include "arch/cpu.h"
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "lib/console.h"
#include "lib/kheap.h"
#include "lib/string.h"
#include "node/acpi.h"
#include "node/clock.h"
#include "node/node.h"
#include "node/park.h"

#define AP_WAIT_NS 3000000000ull

struct cpu *cpus[MAX_CPUS];
uint32_t ncpus;
struct cpu *apic_to_cpu[APIC_TABLE_SIZE]; /* read by ap_entry64 */

extern char trampoline_start[], trampoline_end[], tr_cr3[];
extern char boot_pml4[];

static uint32_t aps_parked;

/* Everything a CPU owns, carved at boot while one CPU runs (kheap.h). */
static void give_percpu_memory(struct cpu *c, int boot_cpu)
{
    if (!boot_cpu)
        c->kstack_top = (uint64_t)kheap_alloc(KSTACK_SIZE, 16) + KSTACK_SIZE;
    c->park_stack_top = c->kstack_top;
    c->tss.ist[0] = (uint64_t)kheap_alloc(IST_INTR_SIZE, 16) + IST_INTR_SIZE;
    c->tss.ist[1] = (uint64_t)kheap_alloc(IST_NMI_SIZE, 16) + IST_NMI_SIZE;
    c->tss.ist[2] = (uint64_t)kheap_alloc(IST_DF_SIZE, 16) + IST_DF_SIZE;
    c->tss.ist[3] = (uint64_t)kheap_alloc(IST_MC_SIZE, 16) + IST_MC_SIZE;
    c->launch = kheap_alloc(sizeof(struct az_boot), 64);
    c->scratch = kheap_alloc(PAGE_SIZE, PAGE_SIZE);
}

void smp_setup_cpus(struct cpu *boot_cpu)
{
    uint32_t boot_apic = lapic_id();
    int boot_pos = -1;
    for (uint32_t i = 0; i < acpi.ncpus; i++)
        if (acpi.apic_id[i] == boot_apic)
            boot_pos = (int)i;
    if (boot_pos < 0)
        panic("smp: boot CPU (APIC id %u) is not in the MADT", boot_apic);

    /* Index 0 is the boot CPU; the others keep MADT order. */
    uint32_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < acpi.ncpus; i++) {
            if ((pass == 0) != ((int)i == boot_pos))
                continue;
            struct cpu *c = pass == 0 ? boot_cpu : kheap_alloc(sizeof(struct cpu), 64);
            c->self = c;
            c->index = n;
            c->apic_id = acpi.apic_id[i];
            c->numa_node = acpi.cpu_node[i];
            c->mailbox = node_mailbox(n);
            give_percpu_memory(c, pass == 0);
            if (c->apic_id < APIC_TABLE_SIZE)
                apic_to_cpu[c->apic_id] = c;
            else
                kprintf("smp: APIC id %u too large, CPU left offline\n", c->apic_id);
            cpus[n++] = c;
        }
    }
    ncpus = n;
    boot_cpu->online = 1;
}

/* The first C code of an AP, on its own stack; again after the monitor
 * reset it (AZ_CORE_CMD_RESET): whatever it served is forgotten. */
__attribute__((noreturn)) void ap_main(struct cpu *c)
{
    wrmsr(MSR_GS_BASE, (uint64_t)c);
    c->inst = 0;
    c->icpu = 0;
    c->cur = 0;
    c->kstack_top = c->park_stack_top;
    cpu_init(c);
    c->online = 1;
    /* PARKED before this core counts as parked: the node is declared ready
     * when the count is full, and the host may START this core at once. */
    park_publish_parked();
    if (__atomic_add_fetch(&aps_parked, 1, __ATOMIC_ACQ_REL) == ncpus - 1)
        lapic_send_ipi(cpus[0]->apic_id, VEC_WAKE);
    park_loop();
}

void smp_start_aps(void)
{
    if (ncpus == 1)
        return;
    memcpy(P2V(TRAMPOLINE_PHYS), trampoline_start, (size_t)(trampoline_end - trampoline_start));
    uint32_t cr3 = (uint32_t)(uint64_t)boot_pml4;
    memcpy((char *)P2V(TRAMPOLINE_PHYS) + (tr_cr3 - trampoline_start), &cr3, 4);

    lapic_broadcast_init_sipi(TRAMPOLINE_PHYS >> 12);
    uint64_t t0 = rdtsc();
    /* tsc_hz is not known yet: bound the wait by the PM-timer-free
     * estimate of >= 1 GHz per 1e9 ticks, generous on any real clock. */
    cli();
    while (__atomic_load_n(&aps_parked, __ATOMIC_ACQUIRE) < ncpus - 1) {
        if (rdtsc() - t0 > AP_WAIT_NS * 4)
            break;
        sti_hlt();
        cli();
    }
    sti();
    uint32_t up = __atomic_load_n(&aps_parked, __ATOMIC_ACQUIRE);
    if (up < ncpus - 1)
        kprintf("smp: only %u of %u application processors came up\n", up, ncpus - 1);
    node_info->tsc_cpus_parked = rdtsc();
}
