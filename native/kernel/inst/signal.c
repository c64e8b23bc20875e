/*
 * signal.c -- dispositions, masks, sending and delivering (signal.h).
 * Dispositions and every pending set live under the instance's sig_lock;
 * a thread's mask is its own to change.
 */
#include "inst/signal.h"

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "inst/linux_sizes.h"
#include "inst/syscalls.h"
#include "layout.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "arch/lapic.h"
#include "node/clock.h"
#include "percpu.h"

#define SIGILL        4
#define SIGTRAP       5
#define SIGBUS        7
#define SIGFPE        8
#define SIGCHLD       17
#define SIGCONT       18
#define SIGTSTP       20
#define SIGTTIN       21
#define SIGTTOU       22
#define SIGURG        23
#define SIGWINCH      28
#define SA_ONSTACK    0x08000000
#define SA_NODEFER    0x40000000
#define SA_RESETHAND  0x80000000
#define SA_RESTORER   0x04000000
#define FLAGS_PROGRAM 0x250DD5ull /* CF PF AF ZF SF TF DF OF RF AC ID: what a program may restore */

struct sigcontext_k {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate;
    uint64_t reserved1[8];
};
_Static_assert(sizeof(struct sigcontext_k) == LINUX_SIGCONTEXT_SIZE, "sigcontext");

struct ucontext_k {
    uint64_t flags, link;
    struct sigaltstack_k stack;
    struct sigcontext_k mc;
    uint64_t sigmask;
};

struct siginfo_k {
    int32_t signo, errnum, code, pad;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
        } kill;
        uint64_t addr;
    } f;
    uint8_t rest[LINUX_SIGINFO_SIZE - 24];
};
_Static_assert(sizeof(struct siginfo_k) == LINUX_SIGINFO_SIZE, "siginfo");

struct rt_sigframe {
    uint64_t pretcode;
    struct ucontext_k uc;
    struct siginfo_k info;
};

/* An initial FPU state for handlers. */
static uint8_t fpu_clean[4096] __attribute__((aligned(64)));
static int fpu_clean_ready;

int signal_default_ignored(int sig)
{
    return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH || sig == SIGSTOP || sig == SIGTSTP ||
           sig == SIGTTIN || sig == SIGTTOU;
}

/* in_thread: called where this thread may wait for the host (a system call,
 * or the way back to the program), so stores to shared file mappings are
 * written back first, as Linux's page cache would still write them; not from
 * a timer's interrupt, where no thread may block. */
static __attribute__((noreturn)) void end_by_signal(struct instance *in, int sig, const char *why, int in_thread)
{
    if (in_thread)
        fmap_writeback_all(in);
    char msg[MSG_MAX];
    ksnprintf(msg, sizeof msg, "killed by signal %d%s", sig, why);
    instance_end(in, AZ_INSTANCE_EXITED, 128 + sig, msg);
}

static __attribute__((noreturn)) void terminate(struct instance *in, int sig, const char *why)
{
    end_by_signal(in, sig, why, 1);
}

/* iretq to a non-canonical %rip faults in ring 0, not in the program:
 * such an address never becomes the program's %rip (Linux, too, kills
 * with SIGSEGV when a signal frame or handler names one). */
static void check_rip(struct instance *in, uint64_t rip)
{
    uint64_t top = rip >> 47;
    if (top != 0 && top != 0x1FFFF) {
        char why[64];
        ksnprintf(why, sizeof why, " (jump to the non-canonical address %lx)", rip);
        terminate(in, SIGSEGV, why);
    }
}

int signal_deliverable(struct thread *t)
{
    return t->fault_sig || ((t->sigpending | t->in->sigpending) & ~t->sigmask) != 0;
}

/* Gets a blocked or running thread of this instance to look at its signals. */
static void kick_thread(struct thread *t)
{
    if (__atomic_load_n(&t->interruptible, __ATOMIC_ACQUIRE))
        sched_wake(t);
    struct cpu *c = this_cpu();
    if (t->home != c->inst_pos)
        lapic_send_ipi(cpus[t->in->cpus[t->home]]->apic_id, VEC_RESCHED);
}

/* target NULL: process-directed.  May end the instance (a fatal default). */
int64_t signal_send(struct instance *in, struct thread *target, int sig, int code)
{
    if (sig == 0)
        return 0;
    if (sig < 1 || sig > NSIG)
        return -EINVAL;
    uint64_t bit = 1ull << (sig - 1);
    ilock(&in->sig_lock);
    uint64_t h = in->sigact[sig - 1].handler;
    if (sig != SIGKILL && (h == SIG_IGN || (h == SIG_DFL && signal_default_ignored(sig)))) {
        iunlock(&in->sig_lock);
        return 0; /* discarded as it is generated, as Linux does */
    }
    struct thread *who = target;
    if (!who) {
        struct thread *self = current_thread();
        if (self && !(self->sigmask & bit)) {
            who = self;
        } else {
            for (uint32_t i = 1; i < MAX_THREADS && !who; i++) {
                struct thread *t = in->threads[i];
                if (t && t->state != T_DEAD && !(t->sigmask & bit))
                    who = t;
            }
        }
    }
    int fatal = sig == SIGKILL || (h == SIG_DFL && who && !(who->sigmask & bit));
    if (fatal) {
        iunlock(&in->sig_lock);
        end_by_signal(in, sig, "", code == SI_USER || code == SI_TKILL); /* kill/tkill: a system call */
    }
    if (target)
        target->sigpending |= bit;
    else
        in->sigpending |= bit;
    in->sig_code[sig - 1] = code;
    iunlock(&in->sig_lock);
    if (who && who != current_thread())
        kick_thread(who);
    return 0;
}

void signal_send_process(struct instance *in, int sig, int code)
{
    signal_send(in, 0, sig, code);
}

/* Takes the next signal for t: its number (0 if none) and what siginfo says. */
static int take(struct instance *in, struct thread *t, struct siginfo_k *info, struct sigcontext_k *sc)
{
    memset(info, 0, sizeof *info);
    if (t->fault_sig) {
        int sig = (int)t->fault_sig;
        t->fault_sig = 0;
        info->signo = sig;
        info->code = (int32_t)t->fault_code;
        info->f.addr = t->fault_addr;
        sc->trapno = t->fault_trapno;
        sc->err = t->fault_err;
        sc->cr2 = t->fault_addr;
        return sig;
    }
    ilock(&in->sig_lock);
    uint64_t ready = (t->sigpending | in->sigpending) & ~t->sigmask;
    if (!ready) {
        iunlock(&in->sig_lock);
        return 0;
    }
    int sig = __builtin_ctzll(ready) + 1;
    uint64_t bit = 1ull << (sig - 1);
    if (t->sigpending & bit)
        t->sigpending &= ~bit;
    else
        in->sigpending &= ~bit;
    info->signo = sig;
    info->code = in->sig_code[sig - 1];
    info->f.kill.pid = 1;
    iunlock(&in->sig_lock);
    return sig;
}

int signal_on_altstack(const struct thread *t, uint64_t sp)
{
    return t->altstack.size && sp > t->altstack.sp && sp <= t->altstack.sp + t->altstack.size;
}

static const void *clean_fpu(void)
{
    if (!__atomic_load_n(&fpu_clean_ready, __ATOMIC_ACQUIRE)) {
        fpu_init_area(fpu_clean); /* idempotent: racing writers write the same bytes */
        __atomic_store_n(&fpu_clean_ready, 1, __ATOMIC_RELEASE);
    }
    return fpu_clean;
}

/* Pushes a frame for sig on the program's stack and points sc at the
 * handler: 1, or 0 if the frame does not fit in writable memory. */
static int push_frame(struct instance *in, struct thread *t, int sig, const struct k_sigaction *act,
                      struct siginfo_k *info, struct sigcontext_k *sc)
{
    uint64_t sp = sc->rsp;
    int alt = signal_on_altstack(t, sp);
    if ((act->flags & SA_ONSTACK) && t->altstack.size && !(t->altstack.flags & SS_DISABLE) && !alt)
        sp = t->altstack.sp + t->altstack.size;
    else
        sp -= 128; /* the red zone */
    uint64_t fp = (sp - fpu_state_size) & ~63ull;
    uint64_t fa = ((fp - sizeof(struct rt_sigframe)) & ~15ull) - 8;
    if (fp > sp || fa > fp || user_ok(in, fa, fp + fpu_state_size - fa, PROT_READ | PROT_WRITE))
        return 0;
    struct rt_sigframe f;
    memset(&f, 0, sizeof f);
    f.pretcode = (act->flags & SA_RESTORER) ? act->restorer : 0;
    f.uc.stack = t->altstack;
    f.uc.stack.flags = signal_on_altstack(t, sc->rsp) ? SS_ONSTACK : t->altstack.size ? t->altstack.flags : SS_DISABLE;
    f.uc.mc = *sc;
    f.uc.mc.cs = SEL_UCODE | 3;
    f.uc.mc.ss = SEL_UDATA | 3;
    f.uc.mc.oldmask = t->restore_mask ? t->saved_mask : t->sigmask;
    f.uc.mc.fpstate = fp;
    f.uc.sigmask = f.uc.mc.oldmask;
    f.info = *info;
    if (copy_to_user(in, fa, &f, sizeof f))
        return 0;
    /* This thread's registers (it is running) go to its own save area first, then to
     * the frame through copy_to_user: under mm_lock and checked again there, so another
     * thread's munmap of this stack cannot slip between the check and the store (the
     * kernel would fault on the program's memory, and the instance end as CRASHED). */
    fpu_save(t->fpu);
    if (copy_to_user(in, fp, t->fpu, fpu_state_size))
        return 0;
    fpu_restore(clean_fpu());

    uint64_t bit = 1ull << (sig - 1);
    t->sigmask = (t->sigmask | act->mask | ((act->flags & SA_NODEFER) ? 0 : bit)) & ~SIG_UNBLOCKABLE;
    t->restore_mask = 0;
    sc->rsp = fa;
    sc->rip = act->handler;
    sc->rdi = (uint64_t)sig;
    sc->rsi = fa + __builtin_offsetof(struct rt_sigframe, info);
    sc->rdx = fa + __builtin_offsetof(struct rt_sigframe, uc);
    sc->rax = 0;
    sc->eflags &= ~((1ull << 8) | (1ull << 10) | (1ull << 16)); /* TF, DF, RF */
    return 1;
}

/* Delivers the next signal that runs a handler: 1 if sc now enters it. */
static int deliver(struct instance *in, struct thread *t, struct sigcontext_k *sc)
{
    for (;;) {
        struct siginfo_k info;
        int sig = take(in, t, &info, sc);
        if (!sig)
            break;
        struct k_sigaction act;
        ilock(&in->sig_lock);
        act = in->sigact[sig - 1];
        if (act.handler > SIG_IGN && (act.flags & SA_RESETHAND))
            in->sigact[sig - 1].handler = SIG_DFL;
        iunlock(&in->sig_lock);
        if (act.handler == SIG_IGN)
            continue;
        if (act.handler == SIG_DFL) {
            if (signal_default_ignored(sig))
                continue;
            terminate(in, sig, "");
        }
        check_rip(in, act.handler);
        if (push_frame(in, t, sig, &act, &info, sc))
            return 1;
        char why[64];
        ksnprintf(why, sizeof why, " (no room for a frame for signal %d below %lx)", sig, sc->rsp);
        terminate(in, SIGSEGV, why);
    }
    if (t->restore_mask) {
        t->sigmask = t->saved_mask;
        t->restore_mask = 0;
    }
    return 0;
}

void signal_deliver_syscall(struct syscall_frame *f)
{
    struct thread *t = current_thread();
    if (!signal_deliverable(t) && !t->restore_mask)
        return;
    struct sigcontext_k sc;
    memset(&sc, 0, sizeof sc);
    sc.r8 = f->r8, sc.r9 = f->r9, sc.r10 = f->r10, sc.r11 = f->r11, sc.r12 = f->r12, sc.r13 = f->r13;
    sc.r14 = f->r14, sc.r15 = f->r15, sc.rdi = f->rdi, sc.rsi = f->rsi, sc.rbp = f->rbp, sc.rbx = f->rbx;
    sc.rdx = f->rdx, sc.rax = f->rax, sc.rcx = f->rcx, sc.rsp = f->rsp, sc.rip = f->rip, sc.eflags = f->rflags;
    if (!deliver(t->in, t, &sc))
        return;
    f->r8 = sc.r8, f->r9 = sc.r9, f->r10 = sc.r10, f->r11 = sc.r11, f->r12 = sc.r12, f->r13 = sc.r13;
    f->r14 = sc.r14, f->r15 = sc.r15, f->rdi = sc.rdi, f->rsi = sc.rsi, f->rbp = sc.rbp, f->rbx = sc.rbx;
    f->rdx = sc.rdx, f->rax = sc.rax, f->rcx = sc.rcx, f->rsp = sc.rsp, f->rip = sc.rip, f->rflags = sc.eflags;
    f->full = 1;
}

void signal_deliver_trap(struct trapframe *tf)
{
    struct thread *t = current_thread();
    if (!signal_deliverable(t) && !t->restore_mask)
        return;
    struct sigcontext_k sc;
    memset(&sc, 0, sizeof sc);
    sc.r8 = tf->r8, sc.r9 = tf->r9, sc.r10 = tf->r10, sc.r11 = tf->r11, sc.r12 = tf->r12, sc.r13 = tf->r13;
    sc.r14 = tf->r14, sc.r15 = tf->r15, sc.rdi = tf->rdi, sc.rsi = tf->rsi, sc.rbp = tf->rbp, sc.rbx = tf->rbx;
    sc.rdx = tf->rdx, sc.rax = tf->rax, sc.rcx = tf->rcx, sc.rsp = tf->rsp, sc.rip = tf->rip, sc.eflags = tf->rflags;
    if (!deliver(t->in, t, &sc))
        return;
    tf->r8 = sc.r8, tf->r9 = sc.r9, tf->r10 = sc.r10, tf->r11 = sc.r11, tf->r12 = sc.r12, tf->r13 = sc.r13;
    tf->r14 = sc.r14, tf->r15 = sc.r15, tf->rdi = sc.rdi, tf->rsi = sc.rsi, tf->rbp = sc.rbp, tf->rbx = sc.rbx;
    tf->rdx = sc.rdx, tf->rax = sc.rax, tf->rcx = sc.rcx, tf->rsp = sc.rsp, tf->rip = sc.rip, tf->rflags = sc.eflags;
}

/* The signal Linux raises for an exception in program code (and its
 * si_code and si_addr); 0 for vectors a program cannot cause. */
static int fault_to_signal(const struct trapframe *tf, uint64_t cr2, int *code, uint64_t *addr)
{
    *addr = tf->rip;
    switch (tf->vector) {
    case 0:
        *code = 1; /* FPE_INTDIV */
        return SIGFPE;
    case 16:
    case 19:
        *code = 7; /* FPE_FLTINV */
        return SIGFPE;
    case 6:
        *code = 2; /* ILL_ILLOPN */
        return SIGILL;
    case 14:
        *code = (tf->error_code & 1) ? 2 : 1, *addr = cr2; /* SEGV_ACCERR / MAPERR */
        return SIGSEGV;
    case 4:
    case 5:
    case 13:
        *code = SI_KERNEL, *addr = 0;
        return SIGSEGV;
    case 11:
    case 12:
    case 17:
        *code = tf->vector == 17 ? 1 : SI_KERNEL;
        return SIGBUS;
    case 1:
    case 3:
        *code = 1; /* TRAP_BRKPT */
        return SIGTRAP;
    default:
        return 0;
    }
}

int signal_fault_default(const struct trapframe *tf)
{
    int code;
    uint64_t addr;
    int sig = fault_to_signal(tf, 0, &code, &addr);
    return sig ? sig : SIGSEGV;
}

int signal_fault(struct thread *t, const struct trapframe *tf, uint64_t cr2)
{
    int code;
    uint64_t addr;
    int sig = fault_to_signal(tf, cr2, &code, &addr);
    if (!sig)
        return 0;
    struct instance *in = t->in;
    uint64_t h = __atomic_load_n(&in->sigact[sig - 1].handler, __ATOMIC_RELAXED);
    if (h == SIG_DFL || h == SIG_IGN || (t->sigmask & (1ull << (sig - 1))))
        return 0; /* Linux, too, kills a process that ignores or blocks its own fault */
    t->fault_sig = (uint32_t)sig;
    t->fault_code = (uint32_t)code;
    t->fault_addr = addr;
    t->fault_trapno = tf->vector;
    t->fault_err = tf->error_code;
    return 1;
}

int64_t sys_rt_sigreturn(struct instance *in, const uint64_t *a)
{
    (void)a;
    struct thread *t = current_thread();
    struct syscall_frame *f = current_frame();
    uint64_t fa = f->rsp - 8; /* the handler's ret took pretcode */
    struct rt_sigframe fr;
    if (copy_from_user(in, &fr, fa, sizeof fr))
        terminate(in, SIGSEGV, " (rt_sigreturn with no signal frame)");
    const struct sigcontext_k *sc = &fr.uc.mc;
    check_rip(in, sc->rip);
    f->r8 = sc->r8, f->r9 = sc->r9, f->r10 = sc->r10, f->r11 = sc->r11, f->r12 = sc->r12, f->r13 = sc->r13;
    f->r14 = sc->r14, f->r15 = sc->r15, f->rdi = sc->rdi, f->rsi = sc->rsi, f->rbp = sc->rbp, f->rbx = sc->rbx;
    f->rdx = sc->rdx, f->rcx = sc->rcx, f->rsp = sc->rsp, f->rip = sc->rip;
    f->rflags = (sc->eflags & FLAGS_PROGRAM) | 0x202; /* IF on: the monitor's IPIs must get through */
    f->full = 1;
    t->sigmask = fr.uc.sigmask & ~SIG_UNBLOCKABLE;
    if (sc->fpstate) {
        if (copy_from_user(in, t->fpu, sc->fpstate, fpu_state_size))
            terminate(in, SIGSEGV, " (rt_sigreturn: FPU state unreadable)");
        fpu_sanitize(t->fpu);
        fpu_restore(t->fpu);
    } else {
        fpu_restore(clean_fpu());
    }
    return (int64_t)sc->rax;
}
