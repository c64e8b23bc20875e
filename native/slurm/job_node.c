/* native/slurm/job_node.c -- the job's node service on this host: its runtime
 * directory (root's part), starting it as the user under the directory's lock,
 * its shape from the job's allocation, and stopping it at the job's end,
 * whatever a dead service left included. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <slurm/slurm.h>

#include "plugin.h"

void az_job_dir(char *buf, size_t len, uint32_t jobid)
{
    snprintf(buf, len, "%s/job-%u", az_conf.base, jobid);
}

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
        az_tell_parent("cannot lock %s: %s", path, strerror(errno));
        return 1;
    }
    char *status[] = {"node", "status", NULL};
    if (az_run_azalea(ns->dir, NULL, status) == 0)
        return 0;
    snprintf(path, sizeof path, "%s/node-start.log", ns->dir);
    int rc = az_run_azalea(ns->dir, path, ns->args);
    if (rc != 0) {
        char line[400];
        az_last_line(path, line, sizeof line);
        az_tell_parent("azalea node start exited with %d: %s", rc, line[0] ? line : "(no output)");
    }
    return rc == 0 ? 0 : 1;
}

/* Root: base directory root's and closed to others' writes; the job's directory
 * the user's, 0700.  Both checked without following links. */
int az_make_job_dir(const char *dir, uid_t uid, gid_t gid)
{
    struct stat st;
    if (mkdir(az_conf.base, 0755) != 0 && errno != EEXIST) {
        slurm_error("azalea: cannot create %s: %m", az_conf.base);
        return -1;
    }
    if (lstat(az_conf.base, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) {
        slurm_error("azalea: %s must be a directory owned by root and not writable by others", az_conf.base);
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
static void node_shape(spank_t sp, const struct az_opts *opts, struct node_start *ns)
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
    int quadrants = opts->quadrants ? opts->quadrants : 1;
    int smp = opts->smp;
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
    if (opts->node_mem[0]) {
        ARG("--mem");
        ARG("%s", opts->node_mem);
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
    if (opts->fwk[0]) {
        ARG("--fwk");
        ARG("%s", opts->fwk);
    }
    if (opts->accel[0]) {
        ARG("--accel");
        ARG("%s", opts->accel);
    }
#undef ARG
    ns->args[n] = NULL;
}

int az_start_job_node(spank_t sp, const struct az_opts *opts, const char *dir, uid_t uid, gid_t gid, char *msg,
                      size_t msglen)
{
    struct node_start ns = {.uid = uid, .dir = dir};
    node_shape(sp, opts, &ns);
    return az_as_user(uid, gid, az_conf.start_timeout, node_start_child, &ns, msg, msglen);
}

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
        az_tell_parent("cannot remove %s: %s; ", path, strerror(errno));
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
    int rc = az_run_azalea(ns->dir, log, stop);
    pid_t pid = live_service(ns->dir);
    if (rc != 0 || pid) {
        if (pid) {
            kill(pid, SIGKILL);
            for (int i = 0; i < 100 && kill(pid, 0) == 0; i++)
                usleep(50 * 1000);
        }
        rc = az_run_azalea(ns->dir, log, stop);
        if (rc != 0) {
            char line[400];
            az_last_line(log, line, sizeof line);
            az_tell_parent("azalea node stop exited with %d: %s; ", rc, line);
        }
    }
    nftw(ns->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    return rc == 0 ? 0 : 1;
}

int az_stop_job_node(const char *dir, uid_t uid, gid_t gid, char *msg, size_t msglen)
{
    struct node_stop ns = {.uid = uid, .dir = dir};
    return az_as_user(uid, gid, 120, node_stop_child, &ns, msg, msglen);
}
