/*
 * sysinfo -- the process calls a unikernel answers itself: uname, ids,
 * limits, prctl names, randomness, CPU affinity, TLS (errno is per thread),
 * an unknown system call (-ENOSYS, and the program carries on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"

static __thread int tls_value = 7;

int main(void)
{
    struct utsname u;
    CHECK(uname(&u) == 0);
    CHECK(strcmp(u.sysname, "Azalea") == 0 && strcmp(u.machine, "x86_64") == 0);
    CHECK(getpid() == getpid() && getppid() >= 0 && gettid() == getpid());
    CHECK(getuid() == geteuid() && getgid() == getegid());

    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur >= 1 << 20);
    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 0);
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);

    char name[16] = {0};
    CHECK(prctl(PR_SET_NAME, "azalea-test") == 0);
    CHECK(prctl(PR_GET_NAME, name) == 0 && strcmp(name, "azalea-test") == 0);

    unsigned char a[64] = {0}, b[64] = {0};
    CHECK(getrandom(a, sizeof a, 0) == sizeof a);
    CHECK(getrandom(b, sizeof b, 0) == sizeof b);
    CHECK(memcmp(a, b, sizeof a) != 0);

    cpu_set_t set;
    CHECK(sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) >= 1);
    CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
    CHECK(sched_yield() == 0);

    CHECK(tls_value == 7);
    tls_value = 8;
    CHECK(tls_value == 8);

    errno = 0;
    CHECK(syscall(400) == -1 && errno == ENOSYS); /* not a Linux call */
    CHECK(syscall(SYS_fork) == -1 && errno == ENOSYS);
    pass("sysinfo");
    return 0;
}
