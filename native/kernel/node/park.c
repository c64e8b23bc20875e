/*
 * park.c -- the mailbox protocol, core side (abi.h, "Starting an
 * instance").  A parked core sleeps in hlt with interrupts on; the monitor
 * CPU's WAKE IPI brings it here.  cmd and arg are read once, after the
 * acquire load of cmd_seq that made them visible; result is stored before
 * the release store of ack_seq that publishes it.
 */
#include "node/park.h"

#include "arch/x86.h"
#include "inst/instance.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "node/node.h"
#include "percpu.h"

extern char boot_pml4[];

void park_publish_parked(void)
{
    struct az_core_mailbox *mb = this_cpu()->mailbox;
    mb->instance_gpa = 0;
    __atomic_store_n(&mb->state, AZ_CORE_PARKED, __ATOMIC_RELEASE);
}

void park_loop(void)
{
    struct cpu *c = this_cpu();
    struct az_core_mailbox *mb = c->mailbox;
    park_publish_parked();
    for (;;) {
        cli();
        uint32_t seq = __atomic_load_n(&mb->cmd_seq, __ATOMIC_ACQUIRE);
        if (seq == c->acked_seq) {
            sti_hlt();
            continue;
        }
        uint32_t cmd = __atomic_load_n(&mb->cmd, __ATOMIC_RELAXED);
        uint64_t arg = __atomic_load_n(&mb->arg, __ATOMIC_RELAXED);
        int result;
        switch (cmd) {
        case AZ_CORE_CMD_START:
            result = instance_accept(c, arg);
            break;
        case AZ_CORE_CMD_STOP:
            result = -ESRCH; /* nothing running here */
            break;
        default:
            kprintf("park: unknown mailbox command %u\n", cmd);
            result = -EINVAL;
        }
        mb->result = result;
        c->acked_seq = seq;
        __atomic_store_n(&mb->ack_seq, seq, __ATOMIC_RELEASE);
        if (cmd == AZ_CORE_CMD_START && result == 0)
            instance_run(c);
    }
}

void park_reset(void)
{
    struct cpu *c = this_cpu();
    c->inst = 0;
    c->icpu = 0;
    c->cur = 0;
    c->kstack_top = c->park_stack_top;
    write_cr3((uint64_t)boot_pml4);
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "xorl %%ebp, %%ebp\n\t"
                     "call park_loop"
                     :
                     : "r"(c->park_stack_top)
                     : "memory");
    __builtin_unreachable();
}
