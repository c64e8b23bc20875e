/*
 * thread.c -- creating and ending program threads: clone with the flags
 * musl and glibc use for pthreads, exit, gettid, set_tid_address,
 * set_robust_list.  Processes (fork, vfork, a clone without CLONE_THREAD)
 * do not exist here: -ENOSYS.
 */
#include "inst/thread.h"

#include "arch/fpu.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/linux_sizes.h"
#include "inst/signal.h"
#include "inst/syscalls.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/string.h"

#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_PIDFD          0x00001000
#define CLONE_PTRACE         0x00002000
#define CLONE_VFORK          0x00004000
#define CLONE_PARENT         0x00008000
#define CLONE_THREAD         0x00010000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED       0x00400000
#define CLONE_CHILD_SETTID   0x01000000
#define CLONE_NEEDED         (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_ACCEPTED                                                                                                 \
    (CLONE_NEEDED | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED |       \
     CLONE_CHILD_SETTID | CLONE_PTRACE)
#define USER_TOP  (1ull << 47)
#define TID_LIMIT (1u << 29) /* tids stay below FUTEX_TID_MASK */

/* switch.S */
extern char thread_start_main[], thread_start_clone[];

static uint64_t page_up(uint64_t a)
{
    return (a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

void threads_init(struct instance *in)
{
    in->thread_bytes = page_up(sizeof(struct thread) + fpu_state_size) + PAGE_SIZE + THREAD_KSTACK_SIZE;
}

/* Memory for a thread: from the free list, else new from the partition
 * with its guard page unmapped.  Fields that outlive one thread are kept. */
static struct thread *thread_memory(struct instance *in)
{
    ilock(&in->thread_lock);
    struct thread *t = in->free_threads;
    if (t)
        in->free_threads = (struct thread *)t->rq_next;
    iunlock(&in->thread_lock);
    if (!t) {
        ilock(&in->mm_lock);
        uint64_t base = mm_alloc_kernel(in, in->thread_bytes);
        uint64_t guard = base + page_up(sizeof(struct thread) + fpu_state_size);
        if (base && mm_unmap(in, guard, PAGE_SIZE))
            base = 0; /* the range stays the instance's: a rare loss */
        iunlock(&in->mm_lock);
        if (!base)
            return 0;
        t = (struct thread *)base;
        memset(t, 0, sizeof *t);
    }
    uint32_t off_seq = t->off_seq;
    uint64_t *big = t->big_bounce;
    /* The FPU area too: XSAVE writes only XSTATE_BV of its header, and
     * XRSTOR faults on anything but zeroes in the rest (this memory may
     * hold an earlier instance's bytes). */
    memset(t, 0, sizeof *t + fpu_state_size);
    t->off_seq = off_seq;
    t->big_bounce = big;
    t->kstack_top = (uint64_t)t + in->thread_bytes;
    t->in = in;
    t->timer.core = KTIMER_IDLE;
    t->prio = AZ_PRIO_NORMAL;
    return t;
}

static void release_memory(struct instance *in, struct thread *t)
{
    ilock(&in->thread_lock);
    t->rq_next = (struct thread *)in->free_threads;
    in->free_threads = t;
    iunlock(&in->thread_lock);
}

/* A tid for t: 0, or -EAGAIN when every slot is taken. */
static int assign_tid(struct instance *in, struct thread *t)
{
    ilock(&in->thread_lock);
    for (uint32_t slot = 1; slot < MAX_THREADS; slot++) {
        if (in->threads[slot])
            continue;
        uint32_t tid = slot + MAX_THREADS * (uint32_t)in->tid_gen[slot];
        if (tid >= TID_LIMIT) {
            in->tid_gen[slot] = 0;
            tid = slot;
        }
        in->threads[slot] = t;
        t->slot = slot;
        t->tid = tid;
        in->nthreads++;
        iunlock(&in->thread_lock);
        return 0;
    }
    iunlock(&in->thread_lock);
    return -EAGAIN;
}

struct thread *thread_create_main(struct instance *in, uint64_t entry, uint64_t sp)
{
    struct thread *t = thread_memory(in);
    if (!t || assign_tid(in, t))
        return 0;
    fpu_init_area(t->fpu);
    /* As if switched out: six callee-saved registers, then the return
     * address, placed so that %rsp is 16-byte aligned after the ret. */
    uint64_t *k = (uint64_t *)(t->kstack_top - 24);
    *k = (uint64_t)thread_start_main;
    k -= 6;
    memset(k, 0, 6 * sizeof *k);
    k[2] = sp;    /* r13 */
    k[3] = entry; /* r12 */
    t->ksp = (uint64_t)k;
    t->home = 0;
    return t;
}

struct thread *thread_by_tid(struct instance *in, uint32_t tid)
{
    if (tid == 0)
        return 0;
    struct thread *t = __atomic_load_n(&in->threads[tid % MAX_THREADS], __ATOMIC_ACQUIRE);
    return t && t->tid == tid && t->state != T_DEAD ? t : 0;
}

void thread_free(struct thread *t)
{
    struct instance *in = t->in;
    ilock(&in->thread_lock);
    in->threads[t->slot] = 0;
    in->tid_gen[t->slot]++;
    in->exited_run_tsc += t->run_tsc;
    iunlock(&in->thread_lock);
    release_memory(in, t);
}

uint64_t threads_cpu_tsc(struct instance *in)
{
    uint64_t sum, now = rdtsc();
    ilock(&in->thread_lock);
    sum = in->exited_run_tsc;
    for (uint32_t i = 1; i < MAX_THREADS; i++) {
        struct thread *t = in->threads[i];
        if (!t)
            continue;
        sum += t->run_tsc;
        if (t->state == T_RUNNING && t->run_start)
            sum += now - t->run_start;
    }
    iunlock(&in->thread_lock);
    return sum;
}

struct syscall_frame *current_frame(void)
{
    struct thread *t = current_thread();
    return (struct syscall_frame *)(t->kstack_top - sizeof(struct syscall_frame));
}

static int put_tid(struct instance *in, uint64_t addr, uint32_t tid)
{
    int r = user_ok(in, addr, 4, PROT_WRITE);
    return r ? r : user_store32((uint32_t *)addr, tid);
}

int64_t sys_clone(struct instance *in, const uint64_t *a)
{
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], ctid = a[3], tls = a[4];
    if ((flags & CLONE_NEEDED) != CLONE_NEEDED || (flags & (CLONE_VFORK | 0xFF))) {
        static const char why[] = "a new process (fork, vfork, or clone without CLONE_THREAD|CLONE_VM)";
        kprintf("instance %lu: clone flags %lx ask for %s: not supported here (-ENOSYS)\n", in->id, flags, why);
        return -ENOSYS;
    }
    if (flags & ~(uint64_t)CLONE_ACCEPTED)
        return -EINVAL;
    if ((flags & CLONE_SETTLS) && tls >= USER_TOP)
        return -EPERM;
    struct thread *parent = current_thread();
    struct thread *t = thread_memory(in);
    if (!t)
        return -ENOMEM;
    if (assign_tid(in, t)) {
        release_memory(in, t);
        return -EAGAIN;
    }
    /* The child leaves through the parent's frame, with rax = 0. */
    struct syscall_frame *pf = current_frame();
    struct syscall_frame *cf = (struct syscall_frame *)(t->kstack_top - sizeof *cf);
    *cf = *pf;
    cf->rax = 0;
    cf->full = 0;
    if (newsp)
        cf->rsp = newsp;
    uint64_t *k = (uint64_t *)cf - 1;
    *k = (uint64_t)thread_start_clone;
    k -= 6;
    memset(k, 0, 6 * sizeof *k);
    t->ksp = (uint64_t)k;

    t->fs_base = (flags & CLONE_SETTLS) ? tls : parent->fs_base;
    t->sigmask = parent->sigmask;
    t->prio = parent->prio;
    fpu_save(t->fpu); /* the parent's registers: it runs, so they are in the FPU */
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = ctid;
    int r = 0;
    if (flags & CLONE_PARENT_SETTID)
        r = put_tid(in, ptid, t->tid);
    if (r == 0 && (flags & CLONE_CHILD_SETTID))
        r = put_tid(in, ctid, t->tid);
    if (r) {
        ilock(&in->thread_lock);
        in->threads[t->slot] = 0;
        in->nthreads--;
        iunlock(&in->thread_lock);
        release_memory(in, t);
        return r;
    }
    uint32_t tid = t->tid;
    t->home = sched_place(in);
    sched_start_thread(t);
    return tid;
}

int64_t sys_clone3(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return -ENOSYS; /* glibc then uses clone */
}

int64_t sys_exit(struct instance *in, const uint64_t *a)
{
    struct thread *t = current_thread();
    uint64_t ctid = t->clear_child_tid;
    if (ctid && (ctid & 3) == 0 && user_ok(in, ctid, 4, PROT_WRITE) == 0 && user_store32((uint32_t *)ctid, 0) == 0)
        futex_wake(in, ctid, 1, ~0u);
    ilock(&in->thread_lock);
    int last = --in->nthreads == 0;
    iunlock(&in->thread_lock);
    if (last) {
        fmap_writeback_all(in);
        instance_end(in, AZ_INSTANCE_EXITED, (int32_t)a[0], 0);
    }
    sched_exit();
}

int64_t sys_gettid(struct instance *in, const uint64_t *a)
{
    (void)in, (void)a;
    return current_thread()->tid;
}

int64_t sys_set_tid_address(struct instance *in, const uint64_t *a)
{
    (void)in;
    struct thread *t = current_thread();
    t->clear_child_tid = a[0];
    return t->tid;
}

int64_t sys_set_robust_list(struct instance *in, const uint64_t *a)
{
    (void)in;
    if (a[1] != LINUX_ROBUST_LIST_HEAD_SIZE)
        return -EINVAL;
    struct thread *t = current_thread();
    t->robust_list = a[0];
    t->robust_len = a[1];
    return 0;
}

int64_t sys_get_robust_list(struct instance *in, const uint64_t *a)
{
    struct thread *t = a[0] == 0 ? current_thread() : thread_by_tid(in, (uint32_t)a[0]);
    if (!t)
        return -ESRCH;
    uint64_t len = t->robust_len ? t->robust_len : 24;
    int r = copy_to_user(in, a[1], &t->robust_list, 8);
    return r ? r : copy_to_user(in, a[2], &len, 8);
}
