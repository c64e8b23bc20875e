/*
 * azalea.h -- the Azalea internal API for C programs running in an
 * instance (the paper's Table I), next to the Linux system calls they
 * also have.  Link with build/runtime/libazalea.a.  Self-contained: it
 * needs only <stdint.h> and abi.h (for the call numbers).
 *
 * Threads are the program's pthreads (a "task" is a thread, named by its
 * tid as gettid() returns it).  Each thread stays on the core it was
 * placed on; priorities order the threads ready on one core.  Every call
 * returns 0 or a value on success and -errno (a negative Linux errno) on
 * failure; none of them touches errno.
 *
 *   uint64_t az_get_ticks(void)              ticks since the node booted
 *   int az_block_current_task(void)         sleep until az_wakeup_task(me)
 *   int az_wakeup_task(int tid)              wake it (or let its next block return at once)
 *   int az_reschedule(void)                  let a ready thread of higher priority run
 *   int az_yield(void)                       let a ready thread of equal or higher priority run
 *   int az_sem_init(az_sem_t *s, unsigned n) a counting semaphore at n
 *   int az_sem_destroy(az_sem_t *s)          -EBUSY while threads wait
 *   int az_sem_wait(az_sem_t *s)
 *   int az_sem_post(az_sem_t *s)             wakes the longest waiter, else counts up
 *   int az_sem_timedwait(az_sem_t *s, unsigned ms)        -ETIMEDOUT after ms (0: only try)
 *   int az_sem_cancelablewait(az_sem_t *s, unsigned ms)   also -EINTR when a signal or
 *                                            az_wakeup_task comes (ms 0: no time limit)
 *   int az_msleep(unsigned ms)               -EINTR if a signal handler ran
 *   int az_getprio(int tid)                  tid 0: the caller
 *   int az_setprio(int tid, int prio)        AZ_PRIO_LOW .. AZ_PRIO_MAX
 */
#ifndef AZALEA_AZALEA_H
#define AZALEA_AZALEA_H

#include <stdint.h>

#include "abi.h"

#define AZ_TICK_HZ 1000 /* az_get_ticks counts milliseconds */

/* Priorities, as HermitCore and the Azalea unikernel name them. */
#define AZ_PRIO_IDLE   0 /* not for programs */
#define AZ_PRIO_LOW    1
#define AZ_PRIO_NORMAL 8 /* every thread starts here */
#define AZ_PRIO_HIGH   16
#define AZ_PRIO_MAX    31

/* A semaphore lives in the program's memory; the kernel keeps its waiters.
 * Treat the fields as private. */
typedef struct {
    volatile uint32_t count;
    uint32_t magic; /* AZ_SEM_MAGIC once initialised */
} az_sem_t;
#define AZ_SEM_MAGIC 0x53454D41u /* "AMES" */

/* A raw Azalea or Linux system call: the result or -errno. */
static inline int64_t az_syscall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    int64_t r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1), "d"(a2) : "rcx", "r11", "memory");
    return r;
}

#ifdef __cplusplus
extern "C" {
#endif

uint64_t az_get_ticks(void);
int az_block_current_task(void);
int az_wakeup_task(int tid);
int az_reschedule(void);
int az_yield(void);
int az_sem_init(az_sem_t *s, unsigned count);
int az_sem_destroy(az_sem_t *s);
int az_sem_wait(az_sem_t *s);
int az_sem_post(az_sem_t *s);
int az_sem_timedwait(az_sem_t *s, unsigned ms);
int az_sem_cancelablewait(az_sem_t *s, unsigned ms);
int az_msleep(unsigned ms);
int az_getprio(int tid);
int az_setprio(int tid, int prio);
/* One empty round trip through the calling core's offload channel. */
int az_offload_nop(void);

#ifdef __cplusplus
}
#endif

#endif /* AZALEA_AZALEA_H */
