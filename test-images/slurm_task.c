/*
 * slurm_task -- a Slurm task run as an instance (srun --azalea): prints the
 * task's identity from the environment Slurm gave it, reads one line of stdin
 * when asked, and exits with the status given for its rank.
 *   slurm_task [--stdin] [STATUS_OF_RANK_0 STATUS_OF_RANK_1 ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static const char *var(const char *name)
{
    const char *v = getenv(name);
    return v ? v : "(unset)";
}

int main(int argc, char **argv)
{
    int first = 1;
    const char *procid = getenv("SLURM_PROCID");
    CHECK(procid != NULL && getenv("SLURM_JOB_ID") != NULL && getenv("SLURM_NTASKS") != NULL);
    int rank = atoi(procid);
    printf("slurm_task rank=%s of=%s localid=%s nodeid=%s job=%s step=%s host=%s pid=%d\n", procid, var("SLURM_NTASKS"),
           var("SLURM_LOCALID"), var("SLURM_NODEID"), var("SLURM_JOB_ID"), var("SLURM_STEP_ID"), var("SLURMD_NODENAME"),
           (int)getpid());
    if (argc > 1 && strcmp(argv[1], "--stdin") == 0) {
        char line[256];
        CHECK(fgets(line, sizeof line, stdin) != NULL);
        line[strcspn(line, "\n")] = '\0';
        printf("slurm_task rank=%d read '%s'\n", rank, line);
        first = 2;
    }
    fprintf(stderr, "slurm_task rank=%d on stderr\n", rank);
    pass("slurm_task");
    int status = first + rank < argc ? atoi(argv[first + rank]) : 0;
    return status;
}
