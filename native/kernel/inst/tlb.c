/*
 * tlb.c -- keeping the instance's cores' TLBs consistent with its page
 * tables.  All cores of an instance share one set of tables; a core that
 * removes or narrows mappings (munmap, mprotect, ...) asks every other
 * joined core to flush and waits until each has, before the memory can be
 * reused.  A core in the idle loop is not interrupted: it flushes before
 * it runs a thread again (sched.c: switch_in).  Cores answer from their
 * IPI handler or, in kernel code with interrupts off, from any wait loop
 * (inst_relax), so two cores flushing at once cannot deadlock.
 */
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "lib/console.h"
#include "node/clock.h"
#include "percpu.h"

#define ACK_WAIT_NS 100000000ull /* a core that ignores us this long runs with interrupts off */

void tlb_poll(struct inst_cpu *ic)
{
    uint32_t req = __atomic_load_n(&ic->tlb_req, __ATOMIC_ACQUIRE);
    if (req == ic->tlb_ack)
        return;
    write_cr3(read_cr3()); /* program mappings are not global: all of them go */
    __atomic_store_n(&ic->tlb_ack, req, __ATOMIC_RELEASE);
}

void tlb_shootdown(struct instance *in)
{
    struct cpu *c = this_cpu();
    if (!c->inst || __atomic_load_n(&in->njoined, __ATOMIC_ACQUIRE) <= 1)
        return;
    uint32_t want[AZ_BOOT_MAX_CPUS / 32] = {0};
    for (uint32_t i = 0; i < in->ncpus; i++) {
        struct inst_cpu *ic = &in->icpu[i];
        if (ic == c->icpu || __atomic_load_n(&ic->join_state, __ATOMIC_ACQUIRE) != JOIN_JOINED)
            continue;
        __atomic_add_fetch(&ic->tlb_req, 1, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&ic->idle, __ATOMIC_SEQ_CST))
            continue;
        want[i / 32] |= 1u << (i % 32);
        lapic_send_ipi(cpus[ic->cpu]->apic_id, VEC_TLB);
    }
    uint64_t t0 = rdtsc();
    for (uint32_t i = 0; i < in->ncpus; i++) {
        if (!(want[i / 32] & (1u << (i % 32))))
            continue;
        struct inst_cpu *ic = &in->icpu[i];
        for (uint32_t spins = 0; __atomic_load_n(&ic->tlb_ack, __ATOMIC_ACQUIRE) != ic->tlb_req; spins++) {
            if (__atomic_load_n(&ic->idle, __ATOMIC_ACQUIRE) || tsc_to_ns(rdtsc() - t0) > ACK_WAIT_NS)
                break;
            inst_relax(spins);
        }
    }
}
