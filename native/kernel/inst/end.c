/*
 * end.c -- how an instance ends, and what every core does meanwhile.
 *
 * exit_group, the last thread's exit, a fatal signal, a fault or a STOP,
 * on any core: instance_end claims the end (the first core wins; a core
 * that loses just leaves), makes every other core leave (a WAKE IPI, then
 * an NMI for a program that turned interrupts off), writes the outcome
 * and parks.  The host sees the final state only once no core runs the
 * instance any more.  A core leaves from a point where it holds no lock:
 * the wait loops of the instance (inst_relax), the idle loop, the way
 * back to the program, or an interrupt that arrived in program code.
 */
#include "arch/lapic.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/instance.h"
#include "inst/signal.h"
#include "layout.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "node/clock.h"
#include "node/park.h"
#include "percpu.h"

#define LEAVE_IPI_NS     1000000ull  /* the ender re-sends WAKE this often ... */
#define LEAVE_NMI_NS     50000000ull /* ... and NMIs cores still there after this */
#define LEAVE_GIVE_UP_NS 2000000000ull

extern char boot_pml4[];

/* Off the instance: node page tables, no thread, no timer; then the
 * instance may count us out (after that its memory is not ours). */
static void detach(struct cpu *c, struct instance *in)
{
    lapic_timer_stop();
    wrmsr(MSR_FS_BASE, 0);
    c->cur = 0;
    c->icpu = 0;
    c->inst = 0;
    c->kstack_top = c->park_stack_top;
    write_cr3((uint64_t)boot_pml4);
    __atomic_sub_fetch(&in->njoined, 1, __ATOMIC_SEQ_CST);
}

void instance_leave(void)
{
    struct cpu *c = this_cpu();
    struct instance *in = c->inst;
    if (in)
        detach(c, in);
    park_reset();
}

/* The first core to call this ends the instance; the others leave. */
static int claim_end(struct instance *in)
{
    uint32_t zero = 0;
    return __atomic_compare_exchange_n(&in->ending, &zero, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* Waits until every other core has left, prodding them. */
static void wait_others_left(struct instance *in, struct cpu *self)
{
    uint64_t t0 = rdtsc(), last_ipi = 0;
    int nmi_sent = 0;
    while (__atomic_load_n(&in->njoined, __ATOMIC_SEQ_CST) > 1) {
        uint64_t now = rdtsc(), ns = tsc_to_ns(now - t0);
        if (ns > LEAVE_GIVE_UP_NS) {
            kprintf("instance %lu: %u core(s) did not leave; reporting the end anyway\n", in->id, in->njoined - 1);
            break;
        }
        if (last_ipi == 0 || tsc_to_ns(now - last_ipi) > LEAVE_IPI_NS) {
            int nmi = ns > LEAVE_NMI_NS && !nmi_sent;
            for (uint32_t i = 0; i < in->ncpus; i++) {
                struct cpu *o = cpus[in->cpus[i]];
                if (o == self || __atomic_load_n(&o->inst, __ATOMIC_ACQUIRE) != in)
                    continue;
                if (nmi)
                    lapic_send_nmi(o->apic_id);
                else
                    lapic_send_ipi(o->apic_id, VEC_WAKE);
            }
            nmi_sent |= nmi;
            last_ipi = now;
        }
        pause();
    }
}

static __attribute__((noreturn)) void finish_end(struct instance *in, uint32_t state, int32_t status, const char *msg)
{
    struct cpu *c = this_cpu();
    uint64_t us = tsc_to_ns(rdtsc() - in->tsc_entry) / 1000;
    if (state == AZ_INSTANCE_EXITED)
        kprintf("instance %lu: exited with status %d after %lu us%s%s\n", in->id, status, us, msg ? ": " : "",
                msg ? msg : "");
    else
        kprintf("instance %lu: %s after %lu us: %s\n", in->id, state == AZ_INSTANCE_KILLED ? "stopped" : "faulted", us,
                msg ? msg : "");
    char copy[MSG_MAX];
    strlcpy(copy, msg ? msg : "", sizeof copy); /* msg may live on a stack we are about to leave */
    uint32_t cores[AZ_BOOT_MAX_CPUS];
    uint32_t ncores = in->ncpus;
    memcpy(cores, in->cpus, ncores * sizeof cores[0]);
    uint64_t boot_gpa = (uint64_t)in->boot;
    wait_others_left(in, c);
    detach(c, in);
    instance_report(boot_gpa, cores, ncores, state, status, 0, msg ? copy : 0);
    park_reset();
}

void instance_end(struct instance *in, uint32_t state, int32_t status, const char *msg)
{
    if (!claim_end(in))
        instance_leave();
    finish_end(in, state, status, msg);
}

/* Takes a new mailbox command while serving: STOP to the lead ends the
 * instance; a joined member refuses both commands (its threads need it). */
void instance_poll_mailbox(struct instance *in)
{
    struct cpu *c = this_cpu();
    struct az_core_mailbox *mb = c->mailbox;
    uint32_t seq = __atomic_load_n(&mb->cmd_seq, __ATOMIC_ACQUIRE);
    if (seq == c->acked_seq)
        return;
    uint32_t cmd = __atomic_load_n(&mb->cmd, __ATOMIC_RELAXED);
    int lead = c->inst_pos == 0;
    mb->result = cmd == AZ_CORE_CMD_STOP ? (lead ? 0 : -EBUSY) : cmd == AZ_CORE_CMD_START ? -EBUSY : -EINVAL;
    c->acked_seq = seq;
    __atomic_store_n(&mb->ack_seq, seq, __ATOMIC_RELEASE);
    if (cmd == AZ_CORE_CMD_STOP && lead)
        instance_end(in, AZ_INSTANCE_KILLED, 0, "stopped by the host");
}

void instance_wake(struct cpu *c)
{
    if (c->inst->ending)
        instance_leave();
    instance_poll_mailbox(c->inst);
}

void inst_relax(uint32_t spins)
{
    pause();
    struct cpu *c = this_cpu();
    struct instance *in = c->inst;
    if (!in)
        return;
    if (__atomic_load_n(&in->ending, __ATOMIC_ACQUIRE))
        instance_leave();
    if (c->icpu)
        tlb_poll(c->icpu);
    if ((spins & 1023) == 1023)
        instance_poll_mailbox(in);
}

void inst_relax_idle(void)
{
    struct cpu *c = this_cpu();
    struct instance *in = c->inst;
    if (__atomic_load_n(&in->ending, __ATOMIC_ACQUIRE))
        instance_leave();
    tlb_poll(c->icpu);
    instance_poll_mailbox(in);
}

void ilock(struct spinlock *l)
{
    for (uint32_t spins = 0; __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);)
        while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
            inst_relax(spins++);
}

void instance_fault(struct cpu *c, struct trapframe *tf)
{
    struct instance *in = c->inst;
    if (!claim_end(in))
        instance_leave();
    struct az_boot *live = in->boot;
    char msg[MSG_MAX];
    uint64_t cr2 = tf->vector == EXC_PF ? read_cr2() : 0;
    /* Ring 3 faulted: the program, ended as Linux's default action for the
     * signal would end it.  Ring 0: the instance kernel (a bug, or a
     * double fault), CRASHED; either way only this instance's cores park. */
    int in_kernel = (tf->cs & 3) == 0;
    int sig = in_kernel ? 0 : signal_fault_default(tf);
    char who[40] = "";
    if (sig)
        ksnprintf(who, sizeof who, "killed by signal %d: ", sig);
    if (tf->vector == EXC_PF)
        ksnprintf(msg, MSG_MAX, "%spage fault: %s %s address %lx at rip %lx%s", who,
                  (tf->error_code & 1) ? "protection violation," : "unmapped",
                  (tf->error_code & 16)  ? "executing"
                  : (tf->error_code & 2) ? "writing"
                                         : "reading",
                  cr2, tf->rip, in_kernel ? " (in the kernel)" : "");
    else
        ksnprintf(msg, MSG_MAX, "%s%s (vector %lu) at rip %lx%s", who, trap_name(tf->vector), tf->vector, tf->rip,
                  in_kernel ? " (in the kernel)" : "");
    live->fault_vector = (uint32_t)tf->vector;
    live->fault_cpu = c->index;
    live->fault_flags = in_kernel ? AZ_FAULT_IN_KERNEL : 0;
    live->fault_error_code = tf->error_code;
    live->fault_address = cr2;
    live->fault_rip = tf->rip;
    live->fault_rsp = in_kernel ? c->saved_rsp : tf->rsp;
    finish_end(in, AZ_INSTANCE_FAULTED, sig ? 128 + sig : 0, msg);
}
