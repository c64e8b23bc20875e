/*
 * sched.h -- each core of an instance runs its own threads (the paper's
 * block_current_task / wakeup_task / reschedule).
 *
 * Per core: a run queue ordered by priority, a timer list, and an idle
 * loop on the core's own stack that runs when no thread is ready.  Only
 * the core itself takes threads off its queue; other cores may put
 * threads on it (a wake-up) under its lock and send it an IPI.
 *
 * Tickless: the local APIC timer is armed only for the next deadline, for
 * the end of the time slice when another thread is waiting, or to poll
 * the offload channel for a thread that gave its core away; a core with
 * one runnable thread and nothing else takes no interrupts at all.
 *
 * Kernel code runs with interrupts off except in the idle loop's hlt, so
 * preemption happens only at the boundary to the program: an interrupt
 * that arrives in program code (trap.c), or the return from a system call.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>

#include "az_client.h"
#include "inst/thread.h"
#include "lib/spinlock.h"

#define SLICE_NS                 5000000ull /* time slice when a core is oversubscribed */
#define OFFLOAD_POLL_NS          200000ull  /* how often a busy core looks for completions */
#define OFFLOAD_IDLE_POLL_MIN_NS 50000ull   /* an idle core waiting for the host: first poll ... */
#define OFFLOAD_IDLE_POLL_MAX_NS 2000000ull /* ... doubling to this while nothing comes */

/* The core's join state (instance.c). */
#define JOIN_WAITING 0
#define JOIN_JOINED  1
#define JOIN_ABSENT  2 /* did not come in time: no thread is placed on it */

/* An instance's view of one of its cores.  In instance memory. */
struct inst_cpu {
    struct spinlock lock; /* run queue, timers, its threads' state */
    uint32_t join_state;
    struct thread *rq_head;    /* READY threads, highest priority first */
    uint32_t nready;           /* threads in the run queue */
    uint32_t nhomed;           /* live threads whose home this is (placement) */
    uint32_t noffload;         /* threads blocked on this core's channel (core-local) */
    volatile uint32_t idle;    /* in the idle loop's hlt: a wake-up needs an IPI */
    volatile uint32_t resched; /* the running thread should give way soon */
    uint32_t reserved0;
    struct thread *cur;        /* running thread, NULL when idle */
    struct thread *dead;       /* to free once switched away from */
    struct thread *fpu_owner;  /* whose registers the FPU holds */
    uint64_t idle_ksp;         /* the idle loop's saved %rsp */
    struct ktimer *timers;     /* sorted by deadline */
    uint64_t slice_end;        /* TSC when the running thread's slice ends */
    uint64_t armed;            /* TSC the LAPIC timer is armed for, 0 if stopped */
    uint32_t tlb_req, tlb_ack; /* tlb.c: flush requests and acknowledgements */
    uint32_t index;            /* position in the instance's cpus[] */
    uint32_t cpu;              /* node CPU index */

    /* The offload channel this core's threads use (offload.c). */
    struct az_chan chan;
    int chan_open;
    uint32_t doorbell_owed; /* quiet submissions wait for a doorbell check (offload.c) */
    uint64_t poll_ns;       /* the idle loop's current channel polling period (0: restart) */
    uint64_t owed_since;    /* TSC of the first of them */
};

/* The idle loop of a core that joined the instance; never returns. */
__attribute__((noreturn)) void sched_idle_loop(void);
/* The current thread waits until sched_wake (or a stale wake-up: callers
 * re-check their condition in a loop). */
void sched_block(void);
/* Makes a blocked thread ready (or marks it woken if not blocked yet). */
void sched_wake(struct thread *t);
/* Gives the core to another ready thread of equal or higher priority. */
void sched_yield(void);
/* The same, or (to_equal 0) only to a thread of higher priority. */
void sched_give_way(int to_equal);
/* A thread's new priority, its place in its run queue to match; its core
 * switches if a ready thread now outranks the running one. */
void sched_set_prio(struct thread *t, int prio);
/* A new thread's first time in a run queue. */
void sched_start_thread(struct thread *t);
/* The current thread is gone; its memory is freed by the next context. */
__attribute__((noreturn)) void sched_exit(void);
/* The core for a new thread: the one with the fewest threads. */
uint32_t sched_place(struct instance *in);
/* Blocks the current thread until the TSC reaches deadline (or a signal, if interruptible). */
int sched_sleep_until(uint64_t deadline, int interruptible);
/* The fire of a thread's own timer (t->timer): sets t->timed_out, wakes t. */
void sched_timer_wake(struct ktimer *k);

/* Timers on this core's list. */
void timer_add(struct ktimer *k, uint64_t deadline);
/* Takes k off whichever core's list it is on; 1 if it was there. */
int timer_cancel(struct ktimer *k);

/* Called when a switched-in thread resumes (switch.S, sched.c). */
void sched_tail(void);
/* Before returning to the program: give way if asked to, re-arm the timer. */
void sched_return_to_user(void);
/* The timer and reschedule interrupts; in program context they may ask
 * for a switch (1: the caller moves the frame and calls sched_yield). */
int sched_interrupt(int in_program);
/* Whether a thread blocked in the kernel should give way (ready threads here). */
int sched_others_ready(void);

#endif
