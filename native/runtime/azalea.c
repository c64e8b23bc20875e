/*
 * azalea.c -- libazalea.a: the Azalea internal API (include/azalea/azalea.h)
 * as functions, each one system call into the instance's kernel.  Built
 * for programs, not for the kernel: any static libc links with it.
 */
#include "azalea/azalea.h"

uint64_t az_get_ticks(void)
{
    return (uint64_t)az_syscall(AZ_SYS_GET_TICKS, 0, 0, 0);
}

int az_block_current_task(void)
{
    return (int)az_syscall(AZ_SYS_BLOCK_CURRENT_TASK, 0, 0, 0);
}

int az_wakeup_task(int tid)
{
    return (int)az_syscall(AZ_SYS_WAKEUP_TASK, (uint64_t)(int64_t)tid, 0, 0);
}

int az_reschedule(void)
{
    return (int)az_syscall(AZ_SYS_RESCHEDULE, 0, 0, 0);
}

int az_yield(void)
{
    return (int)az_syscall(AZ_SYS_YIELD, 0, 0, 0);
}

int az_sem_init(az_sem_t *s, unsigned count)
{
    return (int)az_syscall(AZ_SYS_SEM_INIT, (uint64_t)s, count, 0);
}

int az_sem_destroy(az_sem_t *s)
{
    return (int)az_syscall(AZ_SYS_SEM_DESTROY, (uint64_t)s, 0, 0);
}

int az_sem_wait(az_sem_t *s)
{
    return (int)az_syscall(AZ_SYS_SEM_WAIT, (uint64_t)s, 0, 0);
}

int az_sem_post(az_sem_t *s)
{
    return (int)az_syscall(AZ_SYS_SEM_POST, (uint64_t)s, 0, 0);
}

int az_sem_timedwait(az_sem_t *s, unsigned ms)
{
    return (int)az_syscall(AZ_SYS_SEM_TIMEDWAIT, (uint64_t)s, ms, 0);
}

int az_sem_cancelablewait(az_sem_t *s, unsigned ms)
{
    return (int)az_syscall(AZ_SYS_SEM_CANCELABLEWAIT, (uint64_t)s, ms, 0);
}

int az_msleep(unsigned ms)
{
    return (int)az_syscall(AZ_SYS_MSLEEP, ms, 0, 0);
}

int az_getprio(int tid)
{
    return (int)az_syscall(AZ_SYS_GETPRIO, (uint64_t)(int64_t)tid, 0, 0);
}

int az_setprio(int tid, int prio)
{
    return (int)az_syscall(AZ_SYS_SETPRIO, (uint64_t)(int64_t)tid, (uint64_t)(int64_t)prio, 0);
}

int az_offload_nop(void)
{
    return (int)az_syscall(AZ_SYS_OFFLOAD_NOP, 0, 0, 0);
}
