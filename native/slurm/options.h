/* native/slurm/options.h -- the value of `--azalea[=OPTIONS]`, parsed and checked.
 *
 * OPTIONS is a comma-separated list of KEY=VALUE (empty: all defaults).  It comes
 * from the user, so it is checked here in every context (srun, sbatch, salloc and
 * slurmstepd, where the plugin runs as root) before any of it is used: numbers
 * in range, sizes well formed, paths absolute and printable, names shaped like
 * environment variable names.  A bad value gives one line naming the key, the
 * value and what is accepted.  What only the node can judge (does the memory
 * fit its quadrant) is left to `azalea`, which says so in one line too.
 *
 * Keys for each task's instance:      cores, mem, quadrant, root, timeout, net, env
 * Keys for the job's node on a host:  smp, quadrants, node-mem, fwk, accel
 */
#ifndef AZ_SLURM_OPTIONS_H
#define AZ_SLURM_OPTIONS_H

#include <stddef.h>

#define AZ_OPT_MAX_LEN   1024 /* the whole OPTIONS string */
#define AZ_OPT_VALUE_MAX 256  /* one value, and any path */
#define AZ_OPT_MAX_CPUS  255  /* the node's limit (NodeShape.MAX_CPUS) */

struct az_opts {
    int active; /* --azalea was given */
    /* The instance of each task (`azalea run`); 0 / "" = azalea's default. */
    int cores;    /* 1..255 */
    int quadrant; /* -1 = any */
    char mem[24]; /* "64M" */
    char root[AZ_OPT_VALUE_MAX];
    int timeout;                /* seconds, 0 = none */
    char env[AZ_OPT_VALUE_MAX]; /* NAME[:NAME...], a NAME may end in '*' */
    char net[16];               /* none, loopback, host: `azalea run --net` */
    /* The job's node on each host; 0 / "" = shaped from the allocation. */
    int smp;
    int quadrants;
    char node_mem[24]; /* per quadrant */
    char fwk[8];       /* a quadrant number or "none" */
    char accel[8];     /* auto, kvm, tcg */
};

/* Fills *o from text (NULL or "" = defaults; o->active set).  Returns 0, or -1
 * with one line in err (no trailing newline). */
int az_opts_parse(const char *text, struct az_opts *o, char *err, size_t errlen);

/* The number of CPUs in a Slurm CPU list such as "0-3,8,10-11"; -1 if malformed. */
int az_count_cpu_list(const char *list);

#endif
