/* native/slurm/spank_azalea.c -- `srun --azalea ./prog`: Slurm's tasks as Azalea
 * unikernel instances, one node service per job on each host.
 *
 * One option, one callback per SPANK phase (see spank(8)):
 *
 *   slurm_spank_init          every context: read the plugstack.conf arguments,
 *                             register --azalea[=OPTIONS]
 *   (option callback)         srun/sbatch/salloc and slurmstepd: parse and check
 *                             OPTIONS (options.c); a bad one is one line from srun
 *   slurm_spank_init_post_opt slurmstepd, as root, each step on each host: make
 *                             the job's runtime directory (owned by the job's user),
 *                             put AZALEA_RUNTIME_DIR in the step's environment and
 *                             start the job's node service there unless it runs
 *                             (`azalea node start`, as the user, shaped from the
 *                             job's cores and memory on this host)
 *   slurm_spank_task_init     each task of a step other than the batch script: the
 *                             task's program becomes the argument of
 *                             azalea-slurm-task, which runs it with `azalea run
 *                             --attach` (the task's stdio, exit status, SLURM_*)
 *   slurm_spank_job_epilog    slurmd, as root, at the job's end (also cancelled,
 *                             timed out, failed): `azalea node stop` as the user,
 *                             then whatever a dead service left, then the directory
 *
 * Killing a step (scancel, the time limit) signals the tasks, i.e. `azalea run`:
 * it kills its instance on SIGTERM, and the node service kills the instance of a
 * run whose connection closes (SIGKILL).  The node service is started in its own
 * session, outside the step's process tree, so it outlives steps; the epilog ends it.
 *
 * Everything done for the user (starting, stopping, deleting in the user's
 * directory) runs in a child that has become the user; root only makes and
 * removes the directory entry in the root-owned base directory.
 */
#define _GNU_SOURCE
#include <slurm/slurm.h>
#include <slurm/spank.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "options.h"

SPANK_PLUGIN(azalea, 1);

#ifndef AZALEA_HOME
#error "AZALEA_HOME (the Azalea checkout with bin/azalea) must be defined by the build"
#endif

/* plugstack.conf arguments (README "On a cluster"). */
static char az_home[256] = AZALEA_HOME;         /* home=DIR: has bin/azalea */
static char az_base[128] = "/run/azalea-slurm"; /* runtime_base=DIR: job-<id>/ below */
static char az_java_home[256];                  /* java_home=DIR: a JDK 22+ */
static int az_start_timeout = 180;              /* start_timeout=SECS */

static struct az_opts opts; /* --azalea, as the option callback saw it */

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

static int option_cb(int val, const char *optarg, int remote);

static struct spank_option azalea_option = {
    "azalea",
    "[OPTIONS]",
    "Run each task as an Azalea unikernel instance on this job's node service on its host. "
    "OPTIONS: comma-separated KEY=VALUE; for each task's instance cores=N, mem=SIZE, quadrant=Q, "
    "root=DIR, timeout=SECS, net=none|loopback|host (default loopback), env=NAME[:NAME*...] (SLURM_*, SLURMD_*, PMI_*, "
    "PMIX_*, OMP_* are always passed); "
    "for the job's node on each host smp=N, quadrants=Q, node-mem=SIZE, fwk=Q|none, accel=auto|kvm|tcg "
    "(default: one CPU per allocated CPU plus the node's monitor, the job's memory).",
    2,
    0,
    option_cb};

static int option_cb(int val, const char *optarg, int remote)
{
    (void)val;
    (void)remote;
    char err[512];
    /* Slurm 22.05 exports a bare `--azalea` given to sbatch/salloc as the text
     * "(null)" (SLURM_SPANK__SLURM_SPANK_OPTION_azalea_azalea), for srun inside. */
    if (optarg && strcmp(optarg, "(null)") == 0)
        optarg = NULL;
    if (az_opts_parse(optarg, &opts, err, sizeof err) != 0) {
        slurm_error("azalea: --azalea: %s", err);
        memset(&opts, 0, sizeof opts);
        return -1;
    }
    return 0;
}

/* ---- plugstack.conf arguments ---------------------------------------------------------- */

static int set_path_arg(char *dst, const char *arg, const char *key)
{
    const char *v = arg + strlen(key);
    if (v[0] != '/' || strlen(v) > 80) {
        slurm_error("azalea: plugstack.conf: %s%s: an absolute path under 80 bytes", key, v);
        return -1;
    }
    strcpy(dst, v);
    return 0;
}

static int read_plugin_args(int ac, char **av)
{
    for (int i = 0; i < ac; i++) {
        if (strncmp(av[i], "home=", 5) == 0) {
            if (set_path_arg(az_home, av[i], "home="))
                return -1;
        } else if (strncmp(av[i], "runtime_base=", 13) == 0) {
            if (set_path_arg(az_base, av[i], "runtime_base="))
                return -1;
        } else if (strncmp(av[i], "java_home=", 10) == 0) {
            if (set_path_arg(az_java_home, av[i], "java_home="))
                return -1;
        } else if (strncmp(av[i], "start_timeout=", 14) == 0) {
            char *end;
            long s = strtol(av[i] + 14, &end, 10);
            if (*end != '\0' || s < 5 || s > 3600) {
                slurm_error("azalea: plugstack.conf: %s: seconds, 5..3600", av[i]);
                return -1;
            }
            az_start_timeout = (int)s;
        } else {
            slurm_error(
                "azalea: plugstack.conf: unknown argument '%s' (home=, runtime_base=, java_home=, start_timeout=)",
                av[i]);
            return -1;
        }
    }
    return 0;
}

int slurm_spank_init(spank_t sp, int ac, char **av)
{
    if (read_plugin_args(ac, av))
        return -1;
    spank_context_t ctx = spank_context();
    if (ctx == S_CTX_LOCAL || ctx == S_CTX_REMOTE || ctx == S_CTX_ALLOCATOR) {
        if (spank_option_register(sp, &azalea_option) != ESPANK_SUCCESS) {
            slurm_error("azalea: could not register --azalea");
            return -1;
        }
    }
    return 0;
}

/* ---- running azalea as the job's user --------------------------------------------------- */

static void job_dir(char *buf, size_t len, uint32_t jobid)
{
    snprintf(buf, len, "%s/job-%u", az_base, jobid);
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
    if (az_java_home[0])
        PUT("AZALEA_JAVA_HOME=%s", az_java_home);
#undef PUT
    envp[n] = NULL;
}

/* In the user's child: runs bin/azalea ARGS with output to `log` (or /dev/null);
 * returns its exit status, -1 if it could not be run. */
static int run_azalea(const char *dir, const char *log, char *const args[])
{
    char azalea[PATH_MAX + 16];
    snprintf(azalea, sizeof azalea, "%s/bin/azalea", az_home);
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
static void last_line(const char *path, char *buf, size_t len)
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
static int as_user(uid_t uid, gid_t gid, int timeout, int (*fn)(void *), void *arg, char *msg, size_t msglen)
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

static void tell_parent(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tell_parent(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        (void)!write(3, buf, strlen(buf));
}

/* ---- the job's node on this host ---------------------------------------------------------- */

struct node_start {
    uid_t uid;
    const char *dir;
    char *args[24];
    char text[24][32];
};

/* As the user: under the directory's lock (so two steps starting at once boot one
 * node), `azalea node status`, and `azalea node start` unless it answered. */
static int node_start_child(void *p)
{
    struct node_start *ns = p;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/slurm.lock", ns->dir);
    int lock = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        tell_parent("cannot lock %s: %s", path, strerror(errno));
        return 1;
    }
    char *status[] = {"node", "status", NULL};
    if (run_azalea(ns->dir, NULL, status) == 0)
        return 0;
    snprintf(path, sizeof path, "%s/node-start.log", ns->dir);
    int rc = run_azalea(ns->dir, path, ns->args);
    if (rc != 0) {
        char line[400];
        last_line(path, line, sizeof line);
        tell_parent("azalea node start exited with %d: %s", rc, line[0] ? line : "(no output)");
    }
    return rc == 0 ? 0 : 1;
}

/* Root: base directory root's and closed to others' writes; the job's directory
 * the user's, 0700.  Both checked without following links. */
static int make_job_dir(const char *dir, uid_t uid, gid_t gid)
{
    struct stat st;
    if (mkdir(az_base, 0755) != 0 && errno != EEXIST) {
        slurm_error("azalea: cannot create %s: %m", az_base);
        return -1;
    }
    if (lstat(az_base, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
        slurm_error("azalea: %s must be a directory owned by root and not writable by others", az_base);
        return -1;
    }
    if (mkdir(dir, 0700) == 0) {
        if (lchown(dir, uid, gid) != 0) {
            slurm_error("azalea: cannot give %s to uid %u: %m", dir, uid);
            rmdir(dir);
            return -1;
        }
        return 0;
    }
    if (errno != EEXIST) {
        slurm_error("azalea: cannot create %s: %m", dir);
        return -1;
    }
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != uid) {
        slurm_error("azalea: %s exists but is not a directory of uid %u", dir, uid);
        return -1;
    }
    return 0;
}

/* The node's shape: what the user asked for, else one CPU per CPU the job has
 * here plus CPU 0 (the node's monitor), and the job's memory here. */
static void node_shape(spank_t sp, struct node_start *ns)
{
    int n = 0;
#define ARG(...)                                                                                                       \
    do {                                                                                                               \
        snprintf(ns->text[n], sizeof ns->text[n], __VA_ARGS__);                                                        \
        ns->args[n] = ns->text[n];                                                                                     \
        n++;                                                                                                           \
    } while (0)
    ARG("node");
    ARG("start");
    int quadrants = opts.quadrants ? opts.quadrants : 1;
    int smp = opts.smp;
    if (!smp) {
        char *cores = NULL;
        int cpus = -1;
        if (spank_get_item(sp, S_JOB_ALLOC_CORES, &cores) == ESPANK_SUCCESS)
            cpus = az_count_cpu_list(cores);
        if (cpus < 1) {
            uint16_t ncpus = 0;
            if (spank_get_item(sp, S_JOB_NCPUS, &ncpus) == ESPANK_SUCCESS && ncpus > 0)
                cpus = ncpus;
        }
        if (cpus < 1)
            cpus = 1;
        smp = cpus + 1;
        if (smp % quadrants)
            smp += quadrants - smp % quadrants;
        if (smp > AZ_OPT_MAX_CPUS)
            smp = AZ_OPT_MAX_CPUS - AZ_OPT_MAX_CPUS % quadrants;
    }
    ARG("--smp");
    ARG("%d", smp);
    ARG("--quadrants");
    ARG("%d", quadrants);
    if (opts.node_mem[0]) {
        ARG("--mem");
        ARG("%s", opts.node_mem);
    } else {
        uint64_t mb = 0;
        if (spank_get_item(sp, S_JOB_ALLOC_MEM, &mb) == ESPANK_SUCCESS && mb > 0) {
            uint64_t per = mb / (uint64_t)quadrants, cap = 2816 / (uint64_t)quadrants;
            if (per > cap)
                per = cap;
            per &= ~(uint64_t)1; /* a multiple of 2M */
            if (per < 64)
                per = 64;
            ARG("--mem");
            ARG("%lluM", (unsigned long long)per);
        }
    }
    if (opts.fwk[0]) {
        ARG("--fwk");
        ARG("%s", opts.fwk);
    }
    if (opts.accel[0]) {
        ARG("--accel");
        ARG("%s", opts.accel);
    }
#undef ARG
    ns->args[n] = NULL;
}

static int step_is(spank_t sp, uint32_t which)
{
    uint32_t step = 0;
    return spank_get_item(sp, S_JOB_STEPID, &step) == ESPANK_SUCCESS && step == which;
}

/* Why the job's node is not there, for the tasks to say: slurmstepd reports a
 * failure here to srun only as "Plugin initialization failed", so the step goes
 * on and each task prints this line and exits 125 (azalea run's "refused"). */
static char node_error[640];

static void node_failed(spank_t sp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void node_failed(spank_t sp, const char *fmt, ...)
{
    char host[128] = "";
    gethostname(host, sizeof host - 1);
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(node_error, sizeof node_error, "the job's node on %s did not start: %s", host, what);
    slurm_error("azalea: %s", node_error);
    spank_setenv(sp, "AZALEA_SLURM_ERROR", node_error, 1); /* for a batch script to see */
}

int slurm_spank_init_post_opt(spank_t sp, int ac, char **av)
{
    (void)ac;
    (void)av;
    if (!opts.active || spank_context() != S_CTX_REMOTE || step_is(sp, SLURM_EXTERN_CONT))
        return 0;
    uint32_t jobid;
    uid_t uid;
    gid_t gid;
    if (spank_get_item(sp, S_JOB_ID, &jobid) || spank_get_item(sp, S_JOB_UID, &uid) ||
        spank_get_item(sp, S_JOB_GID, &gid)) {
        slurm_error("azalea: cannot read the job's id and user");
        return -1;
    }
    char dir[PATH_MAX];
    job_dir(dir, sizeof dir, jobid);
    if (make_job_dir(dir, uid, gid)) {
        node_failed(sp, "no runtime directory %s (slurmd's log says why)", dir);
        return 0;
    }
    if (spank_setenv(sp, "AZALEA_RUNTIME_DIR", dir, 1) != ESPANK_SUCCESS) {
        slurm_error("azalea: cannot set AZALEA_RUNTIME_DIR");
        return -1;
    }
    struct node_start ns = {.uid = uid, .dir = dir};
    node_shape(sp, &ns);
    char msg[512];
    if (as_user(uid, gid, az_start_timeout, node_start_child, &ns, msg, sizeof msg) != 0)
        node_failed(sp, "%s", msg[0] ? msg : "no reason given (slurmd's log may say)");
    return 0;
}

/* ---- each task ------------------------------------------------------------------------------ */

static int set(spank_t sp, const char *name, const char *value)
{
    if (spank_setenv(sp, name, value, 1) != ESPANK_SUCCESS) {
        slurm_error("azalea: cannot set %s in the task's environment", name);
        return -1;
    }
    return 0;
}

int slurm_spank_task_init(spank_t sp, int ac, char **av)
{
    (void)ac;
    (void)av;
    if (!opts.active || step_is(sp, SLURM_BATCH_SCRIPT) || step_is(sp, SLURM_EXTERN_CONT) ||
        step_is(sp, SLURM_INTERACTIVE_STEP))
        return 0;
    int argc = 0;
    char **argv = NULL;
    if (spank_get_item(sp, S_JOB_ARGV, &argc, &argv) != ESPANK_SUCCESS || argc < 1 || !argv || !argv[0]) {
        slurm_error("azalea: the task has no program");
        return -1;
    }
    static char wrapper[PATH_MAX + 64], azalea[PATH_MAX + 16];
    snprintf(wrapper, sizeof wrapper, "%s/native/slurm/azalea-slurm-task", az_home);
    snprintf(azalea, sizeof azalea, "%s/bin/azalea", az_home);
    if (access(wrapper, X_OK) != 0 || access(azalea, X_OK) != 0) {
        slurm_error("azalea: %s or %s is not executable here (plugstack.conf home=)", wrapper, azalea);
        return -1;
    }
    char num[16];
    uint32_t cpt = 0;
    int cores = opts.cores;
    if (!cores && spank_get_item(sp, S_STEP_CPUS_PER_TASK, &cpt) == ESPANK_SUCCESS && cpt > 0 && cpt <= AZ_OPT_MAX_CPUS)
        cores = (int)cpt;
    if (set(sp, "AZALEA_SLURM_PROGRAM", argv[0]) || set(sp, "AZALEA_SLURM_AZALEA", azalea))
        return -1;
    if (node_error[0] && set(sp, "AZALEA_SLURM_ERROR", node_error))
        return -1;
    if (cores) {
        snprintf(num, sizeof num, "%d", cores);
        if (set(sp, "AZALEA_SLURM_CORES", num))
            return -1;
    }
    if (opts.quadrant >= 0) {
        snprintf(num, sizeof num, "%d", opts.quadrant);
        if (set(sp, "AZALEA_SLURM_QUADRANT", num))
            return -1;
    }
    if (opts.timeout) {
        snprintf(num, sizeof num, "%d", opts.timeout);
        if (set(sp, "AZALEA_SLURM_TIMEOUT", num))
            return -1;
    }
    if ((opts.mem[0] && set(sp, "AZALEA_SLURM_MEM", opts.mem)) ||
        (opts.root[0] && set(sp, "AZALEA_SLURM_ROOT", opts.root)) ||
        (opts.net[0] && set(sp, "AZALEA_SLURM_NET", opts.net)) ||
        (opts.env[0] && set(sp, "AZALEA_SLURM_ENV", opts.env)))
        return -1;
    /* The task's argv is the step's (no --multi-prog): slurmstepd execs argv[0]
     * with this process's copy, so the wrapper runs with the user's arguments. */
    argv[0] = wrapper;
    return 0;
}

/* ---- the job's end -------------------------------------------------------------------------- */

struct node_stop {
    uid_t uid;
    const char *dir;
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    if (ftw->level == 0)
        return 0;
    if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT)
        tell_parent("cannot remove %s: %s; ", path, strerror(errno));
    return 0;
}

/* The service's pid if it still runs in this directory (its command line names it). */
static pid_t live_service(const char *dir)
{
    char path[PATH_MAX], want[PATH_MAX + 32], cmd[8192];
    snprintf(path, sizeof path, "%s/service.pid", dir);
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    long pid = 0;
    if (fscanf(f, "%ld", &pid) != 1)
        pid = 0;
    fclose(f);
    if (pid <= 1)
        return 0;
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, cmd, sizeof cmd - 1);
    close(fd);
    if (n <= 0)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    cmd[n] = '\0';
    snprintf(want, sizeof want, "-Dazalea.runtime.dir=%s ", dir);
    return strstr(cmd, want) ? (pid_t)pid : 0;
}

/* As the user: stop the node; if its service will not stop, kill it and let a
 * second stop clean what it left (QEMU, /dev/shm files, the socket); then empty
 * the directory. */
static int node_stop_child(void *p)
{
    struct node_stop *ns = p;
    char *stop[] = {"node", "stop", NULL};
    char log[PATH_MAX];
    snprintf(log, sizeof log, "%s/node-stop.log", ns->dir);
    int rc = run_azalea(ns->dir, log, stop);
    pid_t pid = live_service(ns->dir);
    if (rc != 0 || pid) {
        if (pid) {
            kill(pid, SIGKILL);
            for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
                usleep(50 * 1000);
        }
        rc = run_azalea(ns->dir, log, stop);
        if (rc != 0) {
            char line[400];
            last_line(log, line, sizeof line);
            tell_parent("azalea node stop exited with %d: %s; ", rc, line);
        }
    }
    nftw(ns->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    return rc == 0 ? 0 : 1;
}

int slurm_spank_job_epilog(spank_t sp, int ac, char **av)
{
    /* slurm_spank_init is not called in the prolog/epilog context. */
    if (read_plugin_args(ac, av))
        return 0;
    uint32_t jobid;
    uid_t uid;
    gid_t gid;
    if (spank_get_item(sp, S_JOB_ID, &jobid) || spank_get_item(sp, S_JOB_UID, &uid) ||
        spank_get_item(sp, S_JOB_GID, &gid))
        return 0;
    char dir[PATH_MAX];
    job_dir(dir, sizeof dir, jobid);
    struct stat st;
    if (lstat(dir, &st) != 0)
        return 0; /* no --azalea step of this job ran here */
    if (!S_ISDIR(st.st_mode) || st.st_uid != uid) {
        slurm_error("azalea: job %u: %s is not a directory of uid %u: left alone", jobid, dir, uid);
        return 0;
    }
    struct node_stop ns = {.uid = uid, .dir = dir};
    char msg[512];
    int rc = as_user(uid, gid, 120, node_stop_child, &ns, msg, sizeof msg);
    if (rc != 0)
        slurm_error("azalea: job %u: stopping its node: %s", jobid, msg[0] ? msg : "failed");
    if (rmdir(dir) != 0)
        slurm_error("azalea: job %u: cannot remove %s: %m", jobid, dir);
    else
        slurm_info("azalea: job %u: node stopped, %s removed", jobid, dir);
    return 0;
}
