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

#include "plugin.h"

SPANK_PLUGIN(azalea, 1);

#ifndef AZALEA_HOME
#error "AZALEA_HOME (the Azalea checkout with bin/azalea) must be defined by the build"
#endif

struct az_conf az_conf = {.home = AZALEA_HOME, .base = "/run/azalea-slurm", .start_timeout = 180};

static struct az_opts opts; /* --azalea, as the option callback saw it */

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
            if (set_path_arg(az_conf.home, av[i], "home="))
                return -1;
        } else if (strncmp(av[i], "runtime_base=", 13) == 0) {
            if (set_path_arg(az_conf.base, av[i], "runtime_base="))
                return -1;
        } else if (strncmp(av[i], "java_home=", 10) == 0) {
            if (set_path_arg(az_conf.java_home, av[i], "java_home="))
                return -1;
        } else if (strncmp(av[i], "start_timeout=", 14) == 0) {
            char *end;
            long s = strtol(av[i] + 14, &end, 10);
            if (*end != '\0' || s < 5 || s > 3600) {
                slurm_error("azalea: plugstack.conf: %s: seconds, 5..3600", av[i]);
                return -1;
            }
            az_conf.start_timeout = (int)s;
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
    az_job_dir(dir, sizeof dir, jobid);
    if (az_make_job_dir(dir, uid, gid)) {
        node_failed(sp, "no runtime directory %s (slurmd's log says why)", dir);
        return 0;
    }
    if (spank_setenv(sp, "AZALEA_RUNTIME_DIR", dir, 1) != ESPANK_SUCCESS) {
        slurm_error("azalea: cannot set AZALEA_RUNTIME_DIR");
        return -1;
    }
    char msg[512];
    if (az_start_job_node(sp, &opts, dir, uid, gid, msg, sizeof msg) != 0)
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
    snprintf(wrapper, sizeof wrapper, "%s/native/slurm/azalea-slurm-task", az_conf.home);
    snprintf(azalea, sizeof azalea, "%s/bin/azalea", az_conf.home);
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
    az_job_dir(dir, sizeof dir, jobid);
    struct stat st;
    if (lstat(dir, &st) != 0)
        return 0; /* no --azalea step of this job ran here */
    if (!S_ISDIR(st.st_mode) || st.st_uid != uid) {
        slurm_error("azalea: job %u: %s is not a directory of uid %u: left alone", jobid, dir, uid);
        return 0;
    }
    char msg[512];
    int rc = az_stop_job_node(dir, uid, gid, msg, sizeof msg);
    if (rc != 0)
        slurm_error("azalea: job %u: stopping its node: %s", jobid, msg[0] ? msg : "failed");
    if (rmdir(dir) != 0)
        slurm_error("azalea: job %u: cannot remove %s: %m", jobid, dir);
    else
        slurm_info("azalea: job %u: node stopped, %s removed", jobid, dir);
    return 0;
}
