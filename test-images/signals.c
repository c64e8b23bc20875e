/*
 * signals -- handlers for signals a process sends itself: raise, kill,
 * tgkill to another thread; masks and sigpending; SIGALRM from setitimer
 * interrupting pause and interrupting computation (every register and the
 * FPU must survive); faults the program handles (SIGSEGV with si_addr,
 * SIGFPE); sigaltstack; SIG_IGN; fork and execve refused.
 *
 *   signals            the checks above, then AZALEA-TEST-PASS signals
 *   signals term       raise(SIGTERM) with no handler: the instance ends, status 143
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t got_sig, got_code, got_pid;
static volatile pid_t handler_tid;
static volatile uintptr_t handler_sp;

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
    handler_tid = (pid_t)syscall(SYS_gettid);
    int local;
    handler_sp = (uintptr_t)&local;
    /* Floating point in the handler must not leak into the interrupted code. */
    volatile double x = 1.0;
    for (int i = 0; i < 10; i++)
        x = x * 3.25 + 0.5;
}

static volatile int alarms;
static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static sigjmp_buf jump;
static volatile void *fault_addr;
static volatile int fault_sig;
static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    fault_sig = sig;
    fault_addr = si->si_addr;
    siglongjmp(jump, 1);
}

/* TLB consistency: a thread on another core has the page in its TLB when
 * main unmaps it (or makes it read-only); its next access must fault. */
static char *volatile shared_page;
static atomic_int tlb_step;
static volatile int tlb_faults;
static void *toucher(void *arg)
{
    (void)arg;
    volatile char sink = shared_page[0]; /* cached now */
    shared_page[1] = 1;
    (void)sink;
    atomic_store(&tlb_step, 1);
    while (atomic_load(&tlb_step) != 2)
        sched_yield();
    if (sigsetjmp(jump, 1) == 0) {
        shared_page[2] = 1; /* unmapped by now: must fault here */
        return (void *)0;
    }
    tlb_faults++;
    return (void *)1;
}

static atomic_int target_ready;
static atomic_int target_tid;
static void *target_thread(void *arg)
{
    (void)arg;
    atomic_store(&target_tid, (int)syscall(SYS_gettid));
    sigset_t none;
    sigemptyset(&none);
    atomic_store(&target_ready, 1);
    sigsuspend(&none); /* returns after the handler ran here */
    return (void *)(long)(handler_tid == atomic_load(&target_tid));
}

/* A register-heavy loop whose result is known: interrupted by SIGALRM
 * many times, it must still get it right. */
static __attribute__((noinline)) uint64_t churn(volatile uint64_t *np)
{
    uint64_t n = *np;
    uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
    double x = 1.0, y = 0.5;
    for (uint64_t i = 0; i < n; i++) {
        a += b ^ i;
        b += c * 3;
        c ^= d + i;
        d += e >> 1;
        e += f;
        f ^= g << 1;
        g += h;
        h += a;
        x = x * 0.999 + y;
        y = y * 1.0001;
    }
    return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h ^ (uint64_t)(x * 1000);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "term") == 0) {
        printf("signals: raising SIGTERM with no handler\n");
        fflush(stdout);
        raise(SIGTERM);
        printf("FAIL: still alive after SIGTERM\n");
        return 1;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
    CHECK(sigaction(SIGUSR2, &sa, 0) == 0);

    /* raise: a tkill to ourselves. */
    volatile double before = 2.5 * 1.5;
    CHECK(raise(SIGUSR1) == 0);
    CHECK(got_sig == SIGUSR1 && got_code == SI_TKILL);
    CHECK(handler_tid == (pid_t)syscall(SYS_gettid));
    CHECK(before == 3.75);

    /* kill(getpid()): SI_USER, our pid. */
    got_sig = 0;
    CHECK(kill(getpid(), SIGUSR2) == 0);
    CHECK(got_sig == SIGUSR2 && got_code == SI_USER && got_pid == getpid());

    /* Blocked: pending until unblocked, then delivered at once. */
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    got_sig = 0;
    CHECK(sigprocmask(SIG_BLOCK, &set, 0) == 0);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(got_sig == 0);
    CHECK(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1));
    CHECK(sigprocmask(SIG_UNBLOCK, &set, 0) == 0);
    CHECK(got_sig == SIGUSR1);
    printf("signals: raise, kill, masks ok\n");

    /* Ignored. */
    signal(SIGUSR2, SIG_IGN);
    got_sig = 0;
    CHECK(raise(SIGUSR2) == 0 && got_sig == 0);

    /* SIGALRM: one shot ends pause(); an interval timer interrupts computation. */
    signal(SIGALRM, on_alarm);
    struct itimerval it = {{0, 0}, {0, 20000}};
    CHECK(setitimer(ITIMER_REAL, &it, 0) == 0);
    CHECK(pause() == -1 && errno == EINTR);
    CHECK(alarms == 1);
    volatile uint64_t n = 3000000;
    uint64_t expect = churn(&n);
    alarms = 0;
    struct itimerval every = {{0, 2000}, {0, 2000}};
    CHECK(setitimer(ITIMER_REAL, &every, 0) == 0);
    uint64_t got = churn(&n);
    struct itimerval off = {{0, 0}, {0, 0}}, old;
    CHECK(setitimer(ITIMER_REAL, &off, &old) == 0);
    printf("signals: %d alarms during the computation\n", alarms);
    CHECK(got == expect);
    CHECK(alarms >= 2);
    CHECK(alarm(5) == 0 && alarm(0) >= 4);
    printf("signals: SIGALRM ok\n");

    /* Faults the program handles. */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, 0) == 0);
    CHECK(sigaction(SIGFPE, &sa, 0) == 0);
    char *page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);
    if (sigsetjmp(jump, 1) == 0) {
        page[16] = 1;
        CHECK(!"write to PROT_NONE did not fault");
    }
    CHECK(fault_sig == SIGSEGV && fault_addr == page + 16);
    fault_sig = 0;
    volatile int zero = 0;
    if (sigsetjmp(jump, 1) == 0) {
        volatile int q = 7 / zero;
        (void)q;
        CHECK(!"division by zero did not trap");
    }
    CHECK(fault_sig == SIGFPE);
    printf("signals: SIGSEGV and SIGFPE handled\n");

    /* munmap and mprotect on one core are seen by a thread on another
     * that had the page in its TLB. */
    for (int round = 0; round < 2; round++) {
        shared_page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(shared_page != MAP_FAILED);
        atomic_store(&tlb_step, 0);
        pthread_t th;
        CHECK(pthread_create(&th, 0, toucher, 0) == 0);
        while (atomic_load(&tlb_step) != 1)
            sched_yield();
        if (round == 0)
            CHECK(munmap(shared_page, 4096) == 0);
        else
            CHECK(mprotect(shared_page, 4096, PROT_READ) == 0);
        atomic_store(&tlb_step, 2);
        void *faulted;
        CHECK(pthread_join(th, &faulted) == 0);
        CHECK(faulted == (void *)1);
    }
    CHECK(tlb_faults == 2);
    printf("signals: munmap and mprotect reach other cores' TLBs\n");

    /* An alternate stack. */
    static char alt[16384];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    CHECK(sigaltstack(&ss, 0) == 0);
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(handler_sp >= (uintptr_t)alt && handler_sp < (uintptr_t)alt + sizeof alt);
    stack_t cur;
    CHECK(sigaltstack(0, &cur) == 0 && cur.ss_sp == alt && !(cur.ss_flags & SS_ONSTACK));
    printf("signals: sigaltstack ok\n");

    /* tgkill to another thread, waiting in sigsuspend with SIGUSR1 blocked
     * everywhere else. */
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
    CHECK(sigprocmask(SIG_BLOCK, &set, 0) == 0);
    pthread_t th;
    CHECK(pthread_create(&th, 0, target_thread, 0) == 0);
    while (!atomic_load(&target_ready))
        sched_yield();
    usleep(20000);
    CHECK(syscall(SYS_tgkill, getpid(), atomic_load(&target_tid), SIGUSR1) == 0);
    void *ok;
    CHECK(pthread_join(th, &ok) == 0 && ok == (void *)1);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, 0) == 0);
    printf("signals: tgkill to a thread ok\n");

    /* No processes here. */
    errno = 0;
    CHECK(syscall(SYS_fork) == -1 && errno == ENOSYS);
    char *const no_args[] = {"x", 0};
    CHECK(execve("/bin/true", no_args, no_args) == -1 && errno == ENOSYS);
    pass("signals");
    return 0;
}
