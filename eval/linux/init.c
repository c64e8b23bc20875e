/*
 * init -- PID 1 of the evaluation's Linux guest (a static musl program in the
 * initramfs that org.azalea.eval.Initramfs writes).  Mounts /proc, /sys,
 * /dev and a tmpfs on /tmp, brings loopback up (the workload's network
 * tests), then runs the points of the plan named on the kernel command line
 * (azalea.plan=PATH, default /eval/plan), one after the other, each pinned to
 * its CPUs, prints their output and status on the console and powers off.
 *
 * Plan, one point a line:   ID CPUS TIMEOUT_S PROGRAM [ARGS...]
 * Console, around each point's own output:
 *   azalea-init: begin ID
 *   azalea-init: end ID status S ms T
 * and first "azalea-init: linux RELEASE cpus N", last "azalea-init: done".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64

static void say(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof line - 2)
        n = (int)sizeof line - 2;
    line[n++] = '\n';
    if (write(1, line, (size_t)n) < 0) {
        /* nowhere else to say it */
    }
}

static _Noreturn void power_off(void)
{
    sync();
    reboot(RB_POWER_OFF);
    for (;;)
        pause();
}

static void lo_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        say("azalea-init: no loopback interface (errno %d)", errno);
    } else {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
            say("azalea-init: cannot bring lo up (errno %d)", errno);
    }
    if (s >= 0)
        close(s);
}

static const char *plan_path(void)
{
    static char cmdline[4096];
    int fd = open("/proc/cmdline", O_RDONLY);
    if (fd >= 0) {
        ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
        close(fd);
        if (n > 0) {
            cmdline[n] = 0;
            char *p = strstr(cmdline, "azalea.plan=");
            if (p) {
                p += strlen("azalea.plan=");
                p[strcspn(p, " \n")] = 0;
                return p;
            }
        }
    }
    return "/eval/plan";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

/* Runs one plan line; returns its wait status (or -1 when it could not start). */
static void run_point(char *line)
{
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    for (char *tok = strtok(line, " \t\n"); tok && argc < MAX_ARGS; tok = strtok(NULL, " \t\n"))
        argv[argc++] = tok;
    argv[argc] = NULL;
    if (argc == 0 || argv[0][0] == '#')
        return;
    if (argc < 4) {
        say("azalea-init: bad plan line (ID CPUS TIMEOUT PROGRAM ARGS...)");
        return;
    }
    const char *id = argv[0];
    int cpus = atoi(argv[1]), timeout = atoi(argv[2]);
    char work[64];
    snprintf(work, sizeof work, "/tmp/point-%s", id);
    mkdir(work, 0755);
    say("azalea-init: begin %s", id);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int c = 0; c < cpus; c++)
            CPU_SET(c, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0)
            say("azalea-init: sched_setaffinity(%d cpus) failed (errno %d)", cpus, errno);
        if (chdir(work) != 0)
            say("azalea-init: chdir %s failed", work);
        execv(argv[3], argv + 3);
        say("azalea-init: exec %s failed (errno %d)", argv[3], errno);
        _exit(127);
    }
    int status = -1;
    if (pid > 0) {
        timed_out = 0;
        alarm(timeout > 0 ? (unsigned)timeout : 0);
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR)
                break;
            if (timed_out) {
                say("azalea-init: %s timed out after %d s", id, timeout);
                kill(pid, SIGKILL);
            }
        }
        alarm(0);
    }
    int code = status < 0 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    say("azalea-init: end %s status %d ms %.0f", id, code, now_ms() - t0);
}

int main(void)
{
    mkdir("/proc", 0555);
    mkdir("/sys", 0555);
    mkdir("/dev", 0755);
    mkdir("/tmp", 01777);
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    mount("tmpfs", "/tmp", "tmpfs", 0, "size=50%");
    int con = open("/dev/console", O_RDWR);
    if (con >= 0) {
        dup2(con, 0);
        dup2(con, 1);
        dup2(con, 2);
        if (con > 2)
            close(con);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    lo_up();

    struct utsname u;
    uname(&u);
    say("azalea-init: linux %s cpus %ld", u.release, sysconf(_SC_NPROCESSORS_ONLN));
    const char *path = plan_path();
    FILE *plan = fopen(path, "r");
    if (!plan) {
        say("azalea-init: no plan at %s", path);
        power_off();
    }
    char line[2048];
    while (fgets(line, sizeof line, plan))
        run_point(line);
    fclose(plan);
    say("azalea-init: done");
    power_off();
}
