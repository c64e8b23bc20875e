/* native/slurm/as_user.c -- running things as the job's user, from slurmd or
 * slurmstepd running as root: a forked child that has become the user for good
 * (ids, groups, signals, descriptors, session), bin/azalea run with a clean
 * environment, and the one line the child wants its parent to report. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plugin.h"

/* The job's user, looked up before forking (NSS is not for a forked child). */
static char user_name[256] = "nobody", user_home[PATH_MAX] = "/";
static int have_user;

static void lookup_user(uid_t uid)
{
    struct passwd pw, *res = NULL;
    char buf[16384];
    have_user = getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL;
    if (have_user) {
        snprintf(user_name, sizeof user_name, "%s", pw.pw_name);
        snprintf(user_home, sizeof user_home, "%s", pw.pw_dir && pw.pw_dir[0] ? pw.pw_dir : "/");
    }
}

/* In a forked child: become uid/gid for good (also the saved ids), with the user's
 * groups, default signal dispositions and mask, and no descriptor of the daemon's
 * but 0-2 and `keep` (moved to 3). */
static void become_user(uid_t uid, gid_t gid, int keep)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL); /* ignored signals survive exec */
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
    }
    if (keep >= 0 && keep != 3) {
        dup2(keep, 3);
        keep = 3;
    }
    if (keep >= 0)
        fcntl(3, F_SETFD, FD_CLOEXEC); /* for this child only, not what it runs */
    close_range(keep >= 0 ? 4 : 3, ~0U, 0);
    setsid();
    if (geteuid() == 0) {
        if (have_user ? initgroups(user_name, gid) : setgroups(1, &gid))
            _exit(120);
    }
    if (setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
        _exit(121);
    if (getuid() != uid || geteuid() != uid)
        _exit(122);
}

/* The environment azalea runs with: a clean one, not slurmd's. */
static void azalea_env(char **envp, char *store, size_t len, const char *dir)
{
    int n = 0;
    size_t used = 0;
#define PUT(...)                                                                                                       \
    do {                                                                                                               \
        int w = snprintf(store + used, len - used, __VA_ARGS__);                                                       \
        if (w > 0 && (size_t)w < len - used) {                                                                         \
            envp[n++] = store + used;                                                                                  \
            used += (size_t)w + 1;                                                                                     \
        }                                                                                                              \
    } while (0)
    PUT("PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
    PUT("HOME=%s", user_home);
    PUT("USER=%s", user_name);
    PUT("LOGNAME=%s", user_name);
    PUT("LANG=C.UTF-8");
    PUT("AZALEA_RUNTIME_DIR=%s", dir);
    if (az_conf.java_home[0])
        PUT("AZALEA_JAVA_HOME=%s", az_conf.java_home);
#undef PUT
    envp[n] = NULL;
}

/* In the user's child: runs bin/azalea ARGS with output to `log` (or /dev/null);
 * returns its exit status, -1 if it could not be run. */
int az_run_azalea(const char *dir, const char *log, char *const args[])
{
    char azalea[PATH_MAX + 16];
    snprintf(azalea, sizeof azalea, "%s/bin/azalea", az_conf.home);
    char *argv[32];
    int n = 0;
    argv[n++] = azalea;
    for (int i = 0; args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    char *envp[16], store[8192];
    azalea_env(envp, store, sizeof store, dir);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int out = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
        if (out >= 0) {
            dup2(out, 1);
            dup2(out, 2);
        }
        if (chdir(dir) != 0)
            _exit(126);
        execve(azalea, argv, envp);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The last non-empty line of a file the user owns, read as the user. */
void az_last_line(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        size_t n = strlen(line);
        if (n == 0)
            continue;
        if (n >= len)
            n = len - 1;
        memcpy(buf, line, n);
        buf[n] = '\0';
    }
    fclose(f);
}

/* Forks a child that becomes the user and runs fn; waits at most `timeout` s
 * (then kills the child's session).  A message the child writes to fd 3 is
 * returned in msg.  Returns the child's exit status, or -1. */
int az_as_user(uid_t uid, gid_t gid, int timeout, int (*fn)(void *), void *arg, char *msg, size_t msglen)
{
    int pfd[2];
    msg[0] = '\0';
    lookup_user(uid);
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        become_user(uid, gid, pfd[1]);
        _exit(fn(arg));
    }
    close(pfd[1]);
    int st = 0;
    struct timespec tick = {0, 50 * 1000 * 1000};
    long waited_ms = 0;
    pid_t r;
    while ((r = waitpid(pid, &st, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
        if (waited_ms >= timeout * 1000L) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            close(pfd[0]);
            snprintf(msg, msglen, "did not finish within %d s", timeout);
            return -1;
        }
        nanosleep(&tick, NULL);
        waited_ms += 50;
    }
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    ssize_t n = read(pfd[0], msg, msglen - 1);
    msg[n > 0 ? n : 0] = '\0';
    for (char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    close(pfd[0]);
    if (r < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void az_tell_parent(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        (void)!write(3, buf, strlen(buf));
}
