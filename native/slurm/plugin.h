/* native/slurm/plugin.h -- what the plugin's files share.
 *
 *   spank_azalea.c  the SPANK entry points, the --azalea option, each task
 *   job_node.c      the job's node service on this host: directory, start, stop
 *   as_user.c       running things as the job's user from a root daemon
 *   options.c       parsing and checking --azalea's OPTIONS
 */
#ifndef AZ_SLURM_PLUGIN_H
#define AZ_SLURM_PLUGIN_H

#include <slurm/spank.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "options.h"

/* plugstack.conf arguments (README "On a cluster"), read by spank_azalea.c. */
struct az_conf {
    char home[256];      /* home=DIR: has bin/azalea */
    char base[128];      /* runtime_base=DIR: job-<id>/ below */
    char java_home[256]; /* java_home=DIR: a JDK 22+ */
    int start_timeout;   /* start_timeout=SECS */
};
extern struct az_conf az_conf;

/* as_user.c.  Forks a child that becomes the user and runs fn; waits at most
 * `timeout` s (then kills the child's session).  A message the child writes with
 * az_tell_parent is returned in msg.  Returns the child's exit status, or -1. */
int az_as_user(uid_t uid, gid_t gid, int timeout, int (*fn)(void *), void *arg, char *msg, size_t msglen);
/* In the user's child: bin/azalea ARGS in dir, output to log (or /dev/null). */
int az_run_azalea(const char *dir, const char *log, char *const args[]);
/* The last non-empty line of a file (read as the user). */
void az_last_line(const char *path, char *buf, size_t len);
/* In the user's child: a line for as_user's msg. */
void az_tell_parent(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* job_node.c. */
void az_job_dir(char *buf, size_t len, uint32_t jobid);
/* Root: the job's directory, the user's, 0700, under a root-owned base. 0 or -1 (logged). */
int az_make_job_dir(const char *dir, uid_t uid, gid_t gid);
/* The job's node service in dir, started as the user unless it runs: 0, or
 * nonzero with the reason in msg. */
int az_start_job_node(spank_t sp, const struct az_opts *opts, const char *dir, uid_t uid, gid_t gid, char *msg,
                      size_t msglen);
/* Stops it (killing a service that will not stop) and empties dir: 0, or nonzero with msg. */
int az_stop_job_node(const char *dir, uid_t uid, gid_t gid, char *msg, size_t msglen);

#endif
