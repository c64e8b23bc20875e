/*
 * hostile -- a program that attacks the node it runs on, one attack per
 * run, chosen by argv[1] (HostileProgramsIT runs each beside a victim
 * instance).  Programs run in ring 3 with only their own mappings, so
 * every memory or privilege attack must end the program with the status
 * of the signal Linux would deliver (139 SIGSEGV, 132 SIGILL, 133 SIGTRAP,
 * 136 SIGFPE); each prints "ESCAPED" and exits 0 if the attack worked.
 * The system-call attacks ("args", "race") must get errors, never crash,
 * and end with the pass marker.  "victim" is the instance they run beside.
 *
 *   hostile peek ADDR | poke ADDR    read / write another partition by GPA
 *   hostile kernel                   read the kernel image (upper half)
 *   hostile mailbox                  write a core's mailbox (node info + 64 KiB)
 *   hostile region MB | stateword MB write this instance's offload region /
 *                                    forge EXITED(42) in its az_boot (MB: its
 *                                    partition size; both sit at its bottom)
 *   hostile cr3                      find its page tables to map all memory
 *   hostile triple                   lidt of an empty table, then int3
 *   hostile cli | hlt | outb | inb | wrmsr | swapgs | int80
 *   hostile int3 | ud2 | div0        the faults programs do make
 *   hostile sigrip                   a signal handler at a non-canonical address
 *   hostile sigframe                 rt_sigreturn with IOPL 3 and a ring-0 %cs
 *   hostile args                     huge and wrapping pointers and lengths
 *   hostile race                     a thread rewrites a call's pointers in flight
 *   hostile victim                   fills memory with a pattern, checks it until
 *                                    stdin ends, prints its checksum
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

#define KERNEL_TEXT  0xFFFFFFFF80100000ul  /* layout.h: KERNEL_VMA + 1 MiB */
#define NODE_MAILBOX 0xFFFFFFFF81010000ul  /* KERNEL_VMA + AZ_NODE_INFO_GPA + AZ_NODE_MAILBOX_OFFSET */
#define BOOT_MAGIC   0x444241454C415A41ull /* abi.h: AZ_BOOT_MAGIC */

static __attribute__((noreturn)) void escaped(const char *what)
{
    printf("ESCAPED: %s\n", what);
    fflush(stdout);
    exit(0);
}

static void attempt(const char *what)
{
    printf("hostile: %s\n", what);
    fflush(stdout);
}

/* This instance's partition base: its main stack ends at the partition's top. */
static uint64_t own_base(const char *mb)
{
    uint64_t sp = (uint64_t)&mb;
    uint64_t top = (sp + (2ul << 20) - 1) & ~((2ul << 20) - 1);
    return top - strtoull(mb, 0, 0) * (1ul << 20);
}

static void victim(void)
{
    enum { N = 1 << 20 };
    static uint8_t secret[N];
    uint64_t sum = 0;
    for (uint32_t i = 0; i < N; i++) {
        secret[i] = (uint8_t)(i * 2654435761u >> 24);
        sum += secret[i];
    }
    printf("victim: secret at %p, sum %lu\n", (void *)secret, (unsigned long)sum);
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
        uint64_t now = 0;
        for (uint32_t i = 0; i < N; i++)
            now += secret[i];
        CHECK(now == sum);
    }
    for (uint32_t i = 0; i < N; i++)
        CHECK(secret[i] == (uint8_t)(i * 2654435761u >> 24));
    printf("victim: intact, sum %lu\n", (unsigned long)sum);
    pass("hostile victim");
}

static long expect_err(long r, const char *what)
{
    if (r >= 0 || (errno != EFAULT && errno != EINVAL && errno != ENOMEM && errno != EPERM)) {
        printf("FAIL %s: returned %ld, errno %d\n", what, r, errno);
        fflush(stdout);
        exit(1);
    }
    return r;
}

/* Every pointer or length the kernel must refuse: EFAULT (EINVAL, ENOMEM or
 * EPERM where Linux says so: mmap, munmap, arch_prctl). */
static void bad_args(void)
{
    char buf[64];
    void *kern = (void *)KERNEL_TEXT, *mbox = (void *)NODE_MAILBOX;
    void *noncanon = (void *)0x0000800000000000ul, *top = (void *)-4096l;
    expect_err(write(1, kern, 16), "write from the kernel image");
    expect_err(write(1, mbox, 16), "write from a mailbox");
    expect_err(write(1, noncanon, 16), "write from a non-canonical address");
    expect_err(write(1, buf, ~0ul >> 1), "write of a huge length");
    expect_err(write(1, top, 8192), "write of a range that wraps");
    expect_err(read(0, kern, 16), "read into the kernel image");
    expect_err(read(0, top, 8192), "read into a range that wraps");
    expect_err(open((const char *)kern, O_RDONLY), "open of a kernel path pointer");
    expect_err(open((const char *)noncanon, O_RDONLY), "open of a non-canonical path pointer");
    expect_err(clock_gettime(CLOCK_MONOTONIC, kern), "clock_gettime into the kernel");
    expect_err(syscall(SYS_getrandom, kern, 16, 0), "getrandom into the kernel image");
    expect_err(syscall(SYS_getrandom, top, 8192, 0), "getrandom into a range that wraps");
    expect_err(syscall(SYS_nanosleep, mbox, 0), "nanosleep from a mailbox");
    expect_err(syscall(SYS_futex, kern, 0 /* FUTEX_WAIT */, 0, 0, 0, 0), "futex on the kernel image");
    expect_err(syscall(SYS_rt_sigaction, SIGUSR1, kern, 0, 8), "rt_sigaction from the kernel image");
    expect_err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, kern, 8), "rt_sigprocmask into the kernel image");
    struct iovec iov[2] = {{buf, 8}, {kern, 8}};
    expect_err(writev(1, iov, 2), "writev with one kernel buffer");
    struct iovec wrap[2] = {{buf, 8}, {buf, ~0ul - 4}};
    expect_err(writev(1, wrap, 2), "writev whose lengths wrap");
    expect_err(writev(1, kern, 1), "writev of a kernel iovec array");
    void *m = mmap(kern, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(m == MAP_FAILED);
    m = mmap((void *)0x7ffffffff000ul, 1ul << 30, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(m == MAP_FAILED);
    expect_err(munmap(kern, 4096), "munmap of the kernel image");
    expect_err(mprotect(kern, 4096, PROT_READ | PROT_WRITE), "mprotect of the kernel image");
    expect_err(syscall(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, noncanon), "arch_prctl(SET_FS) non-canonical");
    expect_err(syscall(SYS_arch_prctl, 0x1001 /* ARCH_SET_GS */, 0), "arch_prctl(SET_GS)");
    pass("hostile args");
}

static struct iovec race_iov;
static struct timespec race_ts;
static volatile int race_done;
static char race_buf[64];

static void *flipper(void *arg)
{
    (void)arg;
    while (!race_done) {
        race_iov.iov_base = (void *)KERNEL_TEXT;
        race_iov.iov_len = ~0ul >> 1;
        race_ts.tv_nsec = 2000000000; /* invalid */
        __asm__ volatile("" ::: "memory");
        race_iov.iov_base = race_buf;
        race_iov.iov_len = 8;
        race_ts.tv_nsec = 1;
        __asm__ volatile("" ::: "memory");
    }
    return 0;
}

/* Another thread rewrites the iovec and the timespec while the kernel reads
 * them: every call must see one consistent copy (success or an error). */
static void race(void)
{
    int fd = open("race.tmp", O_CREAT | O_TRUNC | O_WRONLY, 0600);
    CHECK(fd >= 0);
    race_iov.iov_base = race_buf;
    race_iov.iov_len = 8;
    pthread_t t;
    CHECK(pthread_create(&t, 0, flipper, 0) == 0);
    int ok = 0, refused = 0;
    for (int i = 0; i < 400; i++) {
        ssize_t r = writev(fd, &race_iov, 1);
        if (r == 8)
            ok++;
        else if (r < 0 && (errno == EFAULT || errno == EINVAL))
            refused++;
        else
            CHECK(!"writev: neither 8 bytes nor an error");
        int s = nanosleep(&race_ts, 0);
        CHECK(s == 0 || errno == EINVAL);
    }
    race_done = 1;
    pthread_join(t, 0);
    close(fd);
    unlink("race.tmp");
    printf("race: %d writes, %d refused\n", ok, refused);
    pass("hostile race");
}

static void sigframe(void)
{
    static uint8_t stack[65536] __attribute__((aligned(16)));
    static struct {
        uint64_t pretcode;
        ucontext_t uc;
        siginfo_t info;
    } fr;
    memset(&fr, 0, sizeof fr);
    fr.uc.uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t) && after;
    fr.uc.uc_mcontext.gregs[REG_RSP] = (greg_t)(uintptr_t)(stack + sizeof stack - 8);
    fr.uc.uc_mcontext.gregs[REG_EFL] = 0x3202;  /* IOPL 3: cli and port I/O allowed */
    fr.uc.uc_mcontext.gregs[REG_CSGSFS] = 0x08; /* the kernel's code selector */
    attempt("rt_sigreturn to IOPL 3 and %cs 0x08, then cli");
    __asm__ volatile("movq %0, %%rsp\n\t"
                     "movl $15, %%eax\n\t"
                     "syscall" ::"r"(&fr.uc)
                     : "memory");
after:
    __asm__ volatile("cli");
    escaped("cli after a forged sigreturn");
}

int main(int argc, char **argv)
{
    CHECK(argc >= 2);
    const char *a = argv[1];
    const char *arg = argc > 2 ? argv[2] : "0";
    if (!strcmp(a, "victim")) {
        victim();
    } else if (!strcmp(a, "peek")) {
        attempt("read another partition");
        printf("%lx\n", *(volatile unsigned long *)strtoull(arg, 0, 0));
        escaped("read another partition");
    } else if (!strcmp(a, "poke")) {
        attempt("write another partition");
        *(volatile unsigned long *)strtoull(arg, 0, 0) = 0x6861636b6564ul;
        escaped("wrote another partition");
    } else if (!strcmp(a, "kernel")) {
        attempt("read the kernel image");
        printf("%lx\n", *(volatile unsigned long *)KERNEL_TEXT);
        escaped("read the kernel image");
    } else if (!strcmp(a, "mailbox")) {
        attempt("post STOP to cpu 1's mailbox");
        *(volatile unsigned long *)(NODE_MAILBOX + 256) = 2;
        escaped("wrote a mailbox");
    } else if (!strcmp(a, "region")) {
        attempt("forge a ring entry in the offload region");
        *(volatile unsigned long *)own_base(arg) = 0;
        escaped("wrote the offload region");
    } else if (!strcmp(a, "stateword")) {
        attempt("fake EXITED(42) in az_boot");
        for (volatile uint64_t *p = (volatile uint64_t *)own_base(arg);; p += 8) {
            if (*p == BOOT_MAGIC) {
                p[32] = 3 | (42ull << 32); /* lines 4-7: state EXITED, exit_status 42 */
                escaped("faked the state word");
            }
        }
    } else if (!strcmp(a, "cr3")) {
        attempt("read CR3 to map all physical memory");
        uint64_t cr3;
        __asm__ volatile("movq %%cr3, %0" : "=r"(cr3));
        *(volatile uint64_t *)(cr3 & ~0xFFFul) = 0x83; /* PML4[0]: 512 GiB, writable, user */
        escaped("wrote its own page tables");
    } else if (!strcmp(a, "triple")) {
        attempt("lidt of an empty table, then int3");
        struct __attribute__((packed)) {
            uint16_t limit;
            uint64_t base;
        } idtr = {0, 0};
        __asm__ volatile("lidt %0; int3" ::"m"(idtr));
        escaped("loaded an IDT");
    } else if (!strcmp(a, "cli")) {
        attempt("cli, then spin");
        __asm__ volatile("cli");
        for (;;)
            ;
    } else if (!strcmp(a, "hlt")) {
        attempt("hlt");
        __asm__ volatile("hlt");
        escaped("halted");
    } else if (!strcmp(a, "outb")) {
        attempt("outb to the serial port");
        __asm__ volatile("outb %b0, %w1" ::"a"('!'), "Nd"(0x3F8));
        escaped("wrote an I/O port");
    } else if (!strcmp(a, "inb")) {
        attempt("inb from the PM timer");
        uint8_t v;
        __asm__ volatile("inb %w1, %b0" : "=a"(v) : "Nd"(0x608));
        escaped("read an I/O port");
    } else if (!strcmp(a, "wrmsr")) {
        attempt("wrmsr LSTAR");
        __asm__ volatile("wrmsr" ::"c"(0xC0000082), "a"(0), "d"(0));
        escaped("wrote an MSR");
    } else if (!strcmp(a, "swapgs")) {
        attempt("swapgs");
        __asm__ volatile("swapgs");
        escaped("swapped GS");
    } else if (!strcmp(a, "int80")) {
        attempt("int $0x80");
        __asm__ volatile("int $0x80" ::"a"(60), "D"(0));
        escaped("used int 0x80");
    } else if (!strcmp(a, "int3")) {
        attempt("int3 with no handler");
        __asm__ volatile("int3");
        escaped("survived int3");
    } else if (!strcmp(a, "ud2")) {
        attempt("ud2");
        __asm__ volatile("ud2");
        escaped("survived ud2");
    } else if (!strcmp(a, "div0")) {
        attempt("divide by zero");
        int z = 0, q;
        __asm__ volatile("cltd; idivl %2" : "=a"(q) : "a"(1), "r"(z) : "edx"); /* not folded by the compiler */
        printf("%d\n", q);
        escaped("survived a division by zero");
    } else if (!strcmp(a, "sigrip")) {
        attempt("a handler at a non-canonical address");
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = (void (*)(int))0x0000800000000000ul;
        CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
        raise(SIGUSR1);
        escaped("came back from a non-canonical handler");
    } else if (!strcmp(a, "sigframe")) {
        sigframe();
    } else if (!strcmp(a, "args")) {
        bad_args();
    } else if (!strcmp(a, "race")) {
        race();
    } else {
        CHECK(!"unknown attack");
    }
    return 0;
}
