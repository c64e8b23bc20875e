/*
 * inst.h -- the instance kernel's state, shared by the files of inst/.
 * struct instance lives in the instance's own partition: instances share
 * no mutable state with each other or with the node.
 */
#ifndef KERNEL_INST_H
#define KERNEL_INST_H

#include <stdint.h>

#include "az_client.h"
#include "azalea/abi.h"
#include "inst/fmap.h"
#include "inst/sched.h"
#include "inst/thread.h"
#include "inst/vm.h"
#include "inst/vma.h"
#include "layout.h"
#include "lib/spinlock.h"

#define NSIG               64
#define DEFAULT_STACK_SIZE (8ull << 20)
#define MAX_SYSCALL        512
#define MSG_MAX            AZ_NODE_MESSAGE_MAX
#define FUTEX_BUCKETS      256

struct k_sigaction {
    uint64_t handler, flags, restorer, mask;
};

struct futex_bucket {
    struct spinlock lock;
    uint32_t reserved;
    struct thread *head;
} __attribute__((aligned(64)));

struct instance {
    /* From the boot descriptor, checked. */
    uint64_t id;
    struct az_boot *boot; /* the live descriptor (identity mapped), for status */
    uint32_t flags;
    uint32_t ncpus;
    uint32_t cpus[AZ_BOOT_MAX_CPUS];
    uint64_t mem_lo, mem_hi;
    uint64_t region_gpa, region_size;
    uint16_t kick_port; /* copied once from the region: AZ_FEATURE_PORT_KICK */
    uint8_t kick_value;
    uint8_t can_kick;
    uint64_t elf_gpa, elf_size;
    uint64_t strings_gpa, strings_size;
    uint32_t argc, envc;
    uint64_t stack_size;
    uint64_t stack_soft; /* RLIMIT_STACK's soft limit, 0: the default (sys_proc.c) */

    /* Clocks: realtime = realtime_base_ns + ns since tsc_base. */
    uint64_t realtime_base_ns;
    uint64_t tsc_base;

    /* Memory: the map, the page tables and kernel allocations, under mm_lock. */
    struct spinlock mm_lock;
    uint32_t reserved_mm;
    struct vm vm;
    uint64_t brk_start, brk_cur, brk_end;
    int64_t brk_pa_off;
    uint64_t mmap_top; /* mmap places ranges below this (the stack guard) */

    /* The program. */
    uint64_t entry, phdr, phnum, phent;
    uint64_t tsc_entry; /* TSC at the program's first instruction */

    /* Cores (instance.c): how many joined and have not left yet; the end. */
    volatile uint32_t njoined;
    volatile uint32_t ending; /* set once, by the core that ends the instance */

    /* Threads (thread.c), under thread_lock. */
    struct spinlock thread_lock;
    uint32_t nthreads; /* live */
    struct thread *free_threads;
    uint64_t exited_run_tsc; /* CPU time of threads that are gone */
    uint64_t thread_bytes;   /* one thread's allocation */
    uint32_t next_core;      /* placement: where the search starts */
    uint32_t reserved_t;
    struct thread *threads[MAX_THREADS]; /* by slot; tid = slot + MAX_THREADS * generation */
    uint16_t tid_gen[MAX_THREADS];

    struct futex_bucket futex[FUTEX_BUCKETS];

    /* Signals (signal.c): dispositions and process-directed pending, under sig_lock. */
    struct spinlock sig_lock;
    uint32_t reserved_s;
    uint64_t sigpending;
    int32_t sig_code[NSIG]; /* si_code of the last sending of each signal */
    struct k_sigaction sigact[NSIG];
    struct ktimer itimer;     /* ITIMER_REAL: SIGALRM */
    uint64_t itimer_interval; /* TSC ticks, 0: one shot */
    char comm[16];
    uint64_t unknown_logged[MAX_SYSCALL / 64];
    uint64_t rng[2];

    /* Offload. */
    uint32_t spin_cores;       /* most cores spinning for answers at once (offload.c) */
    uint32_t offload_spinners; /* cores spinning for answers now */
    int have_client;
    /* Bit fd (0..2): the program moved that stdio fd (dup2/dup3/close): with
     * AZ_BOOT_SERIAL_STDIO its short-cut to the node log no longer applies. */
    uint32_t stdio_moved;
    struct az_client client;
    struct inst_cpu *icpu; /* ncpus entries: the cores' run queues and channels */

    struct fmap fmap; /* MAP_SHARED file pages (fmap.c) */

    struct vma_map map; /* last: large */
};

/* mm.c: memory of the instance. */
/* Kernel memory from the partition's bottom, mapped read-write: 0 if none. */
uint64_t mm_alloc_kernel(struct instance *in, uint64_t size);
/* Keeps enough page-table pages in the pool for changing `len` bytes. */
int mm_reserve_tables(struct instance *in, uint64_t len);
/* Maps the VMAs intersecting [start, end) as their prot says. */
int mm_apply(struct instance *in, uint64_t start, uint64_t end);
/* Unmaps [va, va+len) from the page tables (the VMAs are the caller's). */
int mm_unmap(struct instance *in, uint64_t va, uint64_t len);
/* Zeroes [va, va+len) of USER ranges through their physical addresses. */
void mm_zero(struct instance *in, uint64_t va, uint64_t len);

/* elf.c */
int elf_load(struct instance *in, char *msg);
/* stack.c: the initial process stack; its %rsp, or 0 with msg set. */
uint64_t stack_build(struct instance *in, char *msg, int *err);

/* uaccess.c: program pointers, checked against the VMAs (under mm_lock). */
int user_ok(struct instance *in, uint64_t va, uint64_t len, uint32_t prot);
int user_gpa(struct instance *in, uint64_t va, uint64_t len, uint32_t prot, uint64_t *gpa);
int user_strlen(struct instance *in, uint64_t va, uint64_t max, uint64_t *len);
int copy_to_user(struct instance *in, uint64_t va, const void *src, uint64_t len);
int copy_from_user(struct instance *in, void *dst, uint64_t va, uint64_t len);
/* A page fault in program code that the VMAs allow: a TLB entry older than
 * the page tables.  Flushed, 1: retry the instruction (once). */
struct cpu;
struct trapframe;
int fault_is_stale(struct cpu *c, const struct trapframe *tf, uint64_t cr2);
/* arch/usermem.S: one access that may fault (-EFAULT) without ending the instance. */
int user_load32(const uint32_t *p, uint32_t *out);
int user_store32(uint32_t *p, uint32_t v);
int user_cmpxchg32(uint32_t *p, uint32_t expect, uint32_t v, uint32_t *seen);

/* instance.c: the outcome into the live descriptor; wakes the cores that
 * never joined (they wait for a final state). */
void instance_report(uint64_t boot_gpa, const uint32_t *cores, uint32_t ncores, uint32_t state, int32_t status,
                     int32_t error, const char *msg);
/* end.c */
/* Ends the instance from any of its cores: the others leave, the outcome
 * goes to the host, this core parks. */
__attribute__((noreturn)) void instance_end(struct instance *in, uint32_t state, int32_t status, const char *msg);
/* A pending STOP in this core's mailbox ends the instance (lead core only). */
void instance_poll_mailbox(struct instance *in);
/* This core stops serving an ending instance and parks. */
__attribute__((noreturn)) void instance_leave(void);
/* One iteration of any wait loop in instance context: pause, and take
 * care of what must not wait (the instance ending, TLB flushes, STOP). */
void inst_relax(uint32_t spins);
/* The idle loop's version: no pause, the mailbox every time. */
void inst_relax_idle(void);
/* Instance spinlocks: spin with inst_relax, so a core waiting for a lock
 * still answers TLB shootdowns and the end of the instance. */
void ilock(struct spinlock *l);
static inline void iunlock(struct spinlock *l)
{
    spin_unlock(l);
}
void random_bytes(struct instance *in, void *buf, uint64_t len);

/* tlb.c: after page-table changes, under mm_lock: the other cores flush. */
void tlb_shootdown(struct instance *in);
/* A pending flush request for this core is served (from wait loops and the IPI). */
void tlb_poll(struct inst_cpu *ic);

/* futex.c */
int64_t futex_wake(struct instance *in, uint64_t uaddr, uint32_t n, uint32_t bitset);

/* offload.c: one offloaded call on the current thread's core, blocking the
 * thread (not the core) when others are ready.  -ENOSYS without a channel. */
int64_t offload_call(struct instance *in, uint16_t op, const uint64_t *args);
/* Hands completions on this core's channel to the threads waiting for them. */
void offload_reap(struct inst_cpu *ic);
int offload_open(struct instance *in, struct inst_cpu *ic);
/* Rings the doorbell owed for quiet submissions (before the core idles). */
void offload_ring_owed(struct inst_cpu *ic);
/* The same, once the owed doorbell is due (from the timer); returns its TSC
 * deadline while one is owed and not yet due, else 0 (for arming the timer). */
uint64_t offload_ring_if_due(struct inst_cpu *ic);

/* syscall.c */
/* What syscall_entry.S saves: every register.  rax holds the number on
 * entry and the result on the way out; rcx and r11 are what the syscall
 * instruction left there (rip, rflags) unless `full` asks for every
 * register back as the frame says (rt_sigreturn). */
struct syscall_frame {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t rdi, rsi, rdx, r10, r8, r9;
    uint64_t rax;
    uint64_t rip, rflags, rsp;
    uint64_t rcx, r11;
    uint64_t full;
    uint64_t nr; /* the call's number, kept for restarts */
};
_Static_assert(__builtin_offsetof(struct syscall_frame, r9) == __builtin_offsetof(struct syscall_frame, rdi) + 40,
               "the six arguments are consecutive");
_Static_assert(sizeof(struct syscall_frame) == 20 * 8, "syscall_entry.S pushes 20 words");
void syscall_dispatch(struct syscall_frame *f);
/* The way back to the program from a system call: reschedule, signals. */
void syscall_return_work(struct syscall_frame *f);
/* The frame of the system call the current thread is in. */
struct syscall_frame *current_frame(void);

#endif
