/*
 * thread.h -- a program thread: what clone makes and exit ends.
 *
 * Memory: one allocation from the instance's partition per thread, reused
 * through a free list:
 *   [struct thread + FPU save area][guard page, unmapped][kernel stack]
 * A thread's system calls, and interrupts that preempt it, run on its own
 * kernel stack, so a thread can block inside the kernel while its core
 * runs another.  Threads stay on the core they were placed on (their
 * "home"): its run queue, timers and offload channel serve them.
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdint.h>

#include "azalea/abi.h"
#include "azalea/azalea.h"
#include "lib/spinlock.h"

struct instance;
struct syscall_frame;

enum thread_state {
    T_RUNNING = 1, /* on its core now */
    T_READY,       /* in its core's run queue */
    T_BLOCKED,     /* waiting: futex, offload, sleep, semaphore, signal */
    T_DEAD,        /* exited; memory freed once its core switched away */
};

/* A deadline on one core's timer list (sched.c). */
struct ktimer {
    uint64_t deadline; /* TSC */
    struct ktimer *next;
    void (*fire)(struct ktimer *); /* called on the list's core, no lock held */
    uint32_t core;                 /* the list it is on, or KTIMER_IDLE */
    uint32_t reserved;
};
#define KTIMER_IDLE 0xFFFFFFFFu

#define THREAD_BOUNCE_IOV 64 /* iovecs rebuilt in the thread itself; more use big_bounce */

/* Priorities: AZ_PRIO_* of azalea/azalea.h (sched.c runs the highest first). */

struct sigaltstack_k {
    uint64_t sp;
    uint32_t flags;
    uint32_t reserved;
    uint64_t size;
};

struct thread {
    uint64_t ksp; /* saved kernel %rsp while switched out (switch.S) */
    uint64_t kstack_top;
    uint64_t fs_base;
    struct instance *in;
    uint32_t tid, slot;
    uint32_t home;           /* index of its core in the instance */
    volatile uint32_t state; /* enum thread_state; changed under its home core's lock */
    uint32_t woken;          /* a wake-up came while it was not yet blocked (sched.c) */
    int32_t prio;
    struct thread *rq_next; /* run queue link */

    uint64_t clear_child_tid; /* CLONE_CHILD_CLEARTID / set_tid_address */
    uint64_t robust_list, robust_len;

    /* futex.c: the queue it waits on. */
    uint64_t fkey; /* user address waited on */
    uint32_t fbitset;
    uint32_t fqueued; /* on a bucket's list; cleared by the waker */
    struct thread *fnext, *fprev;

    /* Waiting with a deadline. */
    struct ktimer timer;
    volatile uint32_t timed_out;
    uint32_t interruptible; /* a signal ends this wait (-EINTR) */

    /* offload.c: the request it waits for. */
    uint64_t off_id;
    int64_t off_result;
    volatile uint32_t off_done;
    uint32_t off_seq;

    /* Azalea API: a wakeup_task that came before block_current_task. */
    volatile uint32_t permit;
    uint32_t reserved0;

    /* signal.c */
    uint64_t sigmask;
    uint64_t sigpending; /* thread-directed */
    uint64_t saved_mask; /* rt_sigsuspend: restored after the handler */
    uint32_t restore_mask;
    uint32_t fault_code; /* a fault turned into a signal: its si_code */
    uint64_t fault_addr; /* and si_addr */
    uint32_t fault_sig;
    uint32_t reserved1;
    uint64_t fault_trapno, fault_err; /* for the signal frame's sigcontext */
    uint64_t stale_addr;              /* uaccess.c: last page fault taken for a stale TLB entry */
    struct sigaltstack_k altstack;

    /* CPU time. */
    uint64_t run_tsc;   /* TSC spent running, up to the last switch-out */
    uint64_t run_start; /* TSC at the last switch-in */

    /* sys_file.c: pointer arrays rebuilt with guest-physical addresses;
     * they must live as long as the request, which may outlive a switch. */
    uint64_t iov_bounce[2 * THREAD_BOUNCE_IOV];
    uint64_t msg_bounce[8];
    uint64_t *big_bounce; /* 2 * AZ_IOV_MAX words, allocated on first need */

    uint8_t fpu[] __attribute__((aligned(64))); /* fpu_state_size bytes */
};

/* The thread running on this core, NULL in the idle loop. */
struct thread *current_thread(void);

/* thread.c */
void threads_init(struct instance *in);
/* The program's first thread (tid 1 = pid), entering at entry with %rsp = sp. */
struct thread *thread_create_main(struct instance *in, uint64_t entry, uint64_t sp);
struct thread *thread_by_tid(struct instance *in, uint32_t tid);
/* Called with the dead thread's core switched away from it. */
void thread_free(struct thread *t);
/* Sum of CPU time of all threads, live and exited (TSC ticks). */
uint64_t threads_cpu_tsc(struct instance *in);

#endif
