/*
 * uaccess.c -- checking program pointers.  A system call may only touch,
 * or hand the host, memory the program owns (USER ranges) with the rights
 * it asks for; anything else is -EFAULT, never a kernel fault.  Checks and
 * copies hold mm_lock, so another thread's munmap cannot come in between.
 * The copies themselves are SMAP windows (user_access_begin/end).
 */
#include "arch/cpu.h"
#include "arch/trap.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "percpu.h"

/* Walks [va, va + len): every byte in USER ranges with `prot`; if
 * same_off, all with one pa_off (physically contiguous), returned in *off. */
static int walk(struct instance *in, uint64_t va, uint64_t len, uint32_t prot, int same_off, int64_t *off)
{
    if (len == 0)
        return 0;
    if (va + len < va)
        return -EFAULT;
    uint64_t end = va + len;
    int first = 1;
    while (va < end) {
        struct vma *v = vma_find(&in->map, va);
        if (!v || v->kind != VMA_USER || v->prot == PROT_NONE || (v->prot & prot) != prot)
            return -EFAULT;
        if (first && off)
            *off = v->pa_off;
        else if (same_off && off && *off != v->pa_off)
            return -EFAULT;
        first = 0;
        va = v->end;
    }
    return 0;
}

int user_ok(struct instance *in, uint64_t va, uint64_t len, uint32_t prot)
{
    ilock(&in->mm_lock);
    int r = walk(in, va, len, prot, 0, 0);
    iunlock(&in->mm_lock);
    return r;
}

int user_gpa(struct instance *in, uint64_t va, uint64_t len, uint32_t prot, uint64_t *gpa)
{
    int64_t off = 0;
    ilock(&in->mm_lock);
    int r = walk(in, va, len ? len : 1, prot, 1, &off);
    if (r == 0 && (prot & PROT_WRITE))
        fmap_host_store(in, va, len); /* the host's stores mark shared file pages as the CPU's would */
    iunlock(&in->mm_lock);
    if (r == 0)
        *gpa = va + (uint64_t)off;
    return r;
}

static int strlen_locked(struct instance *in, uint64_t va, uint64_t max, uint64_t *len)
{
    uint64_t n = 0;
    while (n < max) {
        struct vma *v = vma_find(&in->map, va + n);
        if (!v || v->kind != VMA_USER || !(v->prot & PROT_READ))
            return -EFAULT;
        const char *p = (const char *)(va + n);
        uint64_t avail = v->end - (va + n);
        if (avail > max - n)
            avail = max - n;
        user_access_begin();
        for (uint64_t i = 0; i < avail; i++)
            if (p[i] == 0) {
                user_access_end();
                *len = n + i;
                return 0;
            }
        user_access_end();
        n += avail;
    }
    return -ENAMETOOLONG;
}

int user_strlen(struct instance *in, uint64_t va, uint64_t max, uint64_t *len)
{
    ilock(&in->mm_lock);
    int r = strlen_locked(in, va, max, len);
    iunlock(&in->mm_lock);
    return r;
}

int copy_to_user(struct instance *in, uint64_t va, const void *src, uint64_t len)
{
    ilock(&in->mm_lock);
    int r = walk(in, va, len, PROT_WRITE, 0, 0);
    if (r == 0) {
        user_access_begin();
        memcpy((void *)va, src, len);
        user_access_end();
    }
    iunlock(&in->mm_lock);
    return r;
}

int copy_from_user(struct instance *in, void *dst, uint64_t va, uint64_t len)
{
    ilock(&in->mm_lock);
    int r = walk(in, va, len, PROT_READ, 0, 0);
    if (r == 0) {
        user_access_begin();
        memcpy(dst, (const void *)va, len);
        user_access_end();
    }
    iunlock(&in->mm_lock);
    return r;
}

int fault_is_stale(struct cpu *c, const struct trapframe *tf, uint64_t cr2)
{
    struct thread *t = c->cur;
    if (t->stale_addr == cr2) {
        t->stale_addr = 0; /* faulted again after a flush: a real fault */
        return 0;
    }
    uint32_t need = (tf->error_code & 16) ? PROT_EXEC : (tf->error_code & 2) ? PROT_WRITE : PROT_READ;
    struct instance *in = c->inst;
    ilock(&in->mm_lock);
    struct vma *v = vma_find(&in->map, cr2);
    int allowed = v && v->kind == VMA_USER && v->prot != PROT_NONE && (v->prot & need) == need;
    iunlock(&in->mm_lock);
    if (!allowed)
        return 0;
    invlpg(cr2);
    t->stale_addr = cr2;
    return 1;
}
