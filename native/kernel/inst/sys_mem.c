/*
 * sys_mem.c -- brk, mmap, munmap, mprotect, madvise, mremap.
 *
 * Anonymous memory only, plus private file mappings filled by an offloaded
 * pread.  Inside the partition a mapping's address is its physical address,
 * so "finding a free range" and "allocating memory" are one step
 * (vma_find_gap).  New memory reads as zero: zeroed when it first becomes
 * accessible (a PROT_NONE reservation is zeroed by the mprotect that opens
 * it, not when it is made).  Every call holds the instance's mm_lock,
 * except while a file mapping's bytes are read (that may block).
 */
#include "arch/cpu.h"
#include "arch/x86.h"
#include "inst/fmap.h"
#include "inst/syscalls.h"
#include "layout.h"
#include "lib/errno.h"
#include "lib/string.h"

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE      1
#define MADV_DONTNEED       4
#define MS_ASYNC            1
#define MS_INVALIDATE       2
#define MS_SYNC             4
#define PROT_MASK           7
#define PROT_GROWS          0x03000000 /* PROT_GROWSDOWN/UP: accepted, ignored */
#define USER_TOP            (1ull << 47)

static uint64_t page_up(uint64_t a)
{
    return (a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* Sets prot on [start, end) (USER ranges only), maps it, and zeroes the parts not yet zeroed. */
static int make_accessible(struct instance *in, uint64_t start, uint64_t end, uint32_t prot)
{
    int r = vma_protect_user(&in->map, start, end, prot);
    if (r)
        return r;
    if (mm_apply(in, start, end))
        return -ENOMEM;
    if (prot == PROT_NONE)
        return 0;
    for (uint64_t va = start; va < end;) {
        struct vma *v = vma_find(&in->map, va);
        uint64_t e = v->end < end ? v->end : end;
        if (v->flags & VMA_F_UNZEROED)
            mm_zero(in, va, e - va);
        va = e;
    }
    vma_clear_flag(&in->map, start, end, VMA_F_UNZEROED);
    return 0;
}

static void unmap_range(struct instance *in, uint64_t start, uint64_t end)
{
    if (vma_remove_user(&in->map, start, end) == 0)
        mm_unmap(in, start, end - start);
}

static int64_t brk_locked(struct instance *in, const uint64_t *a)
{
    uint64_t want = a[0];
    if (want < in->brk_start || want > in->brk_end)
        return (int64_t)in->brk_cur;
    uint64_t old_top = page_up(in->brk_cur), new_top = page_up(want);
    if (new_top > old_top) {
        /* Only into what is left of the reservation. */
        for (uint64_t va = old_top; va < new_top;) {
            struct vma *v = vma_find(&in->map, va);
            if (!v || v->kind != VMA_USER || !(v->flags & VMA_F_BRK))
                return (int64_t)in->brk_cur;
            va = v->end;
        }
        if (make_accessible(in, old_top, new_top, PROT_READ | PROT_WRITE))
            return (int64_t)in->brk_cur;
    } else if (new_top < old_top) {
        if (vma_protect_user(&in->map, new_top, old_top, PROT_NONE) == 0) {
            vma_set_flag(&in->map, new_top, old_top, VMA_F_UNZEROED);
            mm_unmap(in, new_top, old_top - new_top);
        }
    }
    in->brk_cur = want;
    return (int64_t)want;
}

int64_t sys_brk(struct instance *in, const uint64_t *a)
{
    ilock(&in->mm_lock);
    int64_t r = brk_locked(in, a);
    iunlock(&in->mm_lock);
    return r;
}

/* A private file mapping: its bytes read through the host's handle. */
static int fill_from_file(struct instance *in, uint64_t va, uint64_t len, int64_t handle, uint64_t off)
{
    for (uint64_t done = 0; done < len;) {
        int64_t n = fmap_read(in, handle, va + done, len - done, off + done);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break; /* past the end of the file: the rest stays zero */
        done += (uint64_t)n;
    }
    return 0;
}

/* The mapping itself, under mm_lock: its address or -errno. */
static int64_t mmap_locked(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], flags = a[3], fd = a[4], off = a[5];
    uint32_t prot = (uint32_t)(a[2] & ~(uint64_t)PROT_GROWS);
    uint64_t size = page_up(len);
    int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    int anon = (flags & MAP_ANONYMOUS) != 0;
    uint64_t type = flags & MAP_TYPE;
    if (len == 0 || (prot & ~PROT_MASK) || (type != MAP_SHARED && type != MAP_PRIVATE && type != 3))
        return -EINVAL;
    if (size < len)
        return -ENOMEM;
    if ((fixed && (addr % PAGE_SIZE)) || (!anon && off % PAGE_SIZE))
        return -EINVAL;

    uint64_t va = 0;
    if (fixed) {
        /* Only inside the partition: nothing else has memory behind it. */
        if (addr < in->mem_lo || addr > in->mem_hi || size > in->mem_hi - addr)
            return -ENOMEM;
        if (flags & MAP_FIXED_NOREPLACE) {
            if (!vma_is_free(&in->map, addr, addr + size))
                return -EEXIST;
        } else {
            int r = vma_remove_user(&in->map, addr, addr + size);
            if (r)
                return r;
            mm_unmap(in, addr, size);
        }
        va = addr;
    } else {
        if (addr && addr % PAGE_SIZE == 0 && addr >= in->mem_lo && addr < in->mmap_top && size <= in->mmap_top - addr &&
            vma_is_free(&in->map, addr, addr + size))
            va = addr;
        if (!va && size >= LARGE_PAGE_SIZE)
            va = vma_find_gap(&in->map, size, LARGE_PAGE_SIZE, 0, in->mmap_top);
        if (!va)
            va = vma_find_gap(&in->map, size, PAGE_SIZE, 0, in->mmap_top);
        if (!va)
            return -ENOMEM;
    }
    struct vma v = {va, va + size, 0, PROT_NONE, VMA_USER, VMA_F_UNZEROED};
    if (vma_insert(&in->map, &v))
        return -ENOMEM;
    /* A file's bytes go in while the range is writable; its final
     * rights come after (sys_mmap). */
    int r = prot == PROT_NONE ? 0 : make_accessible(in, va, va + size, anon ? prot : PROT_READ | PROT_WRITE);
    if (r) {
        unmap_range(in, va, va + size);
        return r;
    }
    (void)fd, (void)off;
    return (int64_t)va;
}

/* What mmap refuses before it looks at the fd or the address space. */
static int mmap_args_bad(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1], flags = a[3], off = a[5];
    uint32_t prot = (uint32_t)(a[2] & ~(uint64_t)PROT_GROWS);
    uint64_t type = flags & MAP_TYPE, size = page_up(len);
    if (len == 0 || (prot & ~PROT_MASK) || (type != MAP_SHARED && type != MAP_PRIVATE && type != 3))
        return -EINVAL;
    if (size < len)
        return -ENOMEM;
    if (((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr % PAGE_SIZE)) || off % PAGE_SIZE)
        return -EINVAL;
    if (off + size < off)
        return -EOVERFLOW;
    if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) &&
        (addr < in->mem_lo || addr > in->mem_hi || size > in->mem_hi - addr))
        return -ENOMEM;
    return 0;
}

/* MAP_FIXED replaces what was there: shared file pages go through fmap. */
static int unmap_fixed_shared(struct instance *in, const uint64_t *a)
{
    if ((a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != MAP_FIXED || !fmap_in_use(&in->fmap) || mmap_args_bad(in, a))
        return 0; /* bad arguments: the caller refuses them */
    fmap_lock(in);
    int r = fmap_unmap(in, a[0], a[0] + page_up(a[1]));
    fmap_unlock(in);
    return r;
}

static int64_t mmap_shared_file(struct instance *in, const uint64_t *a, int64_t handle, const struct fmap_id *id)
{
    uint64_t flags = a[3];
    int fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0;
    fmap_lock(in);
    int64_t r = 0;
    if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == MAP_FIXED)
        r = fmap_unmap(in, a[0], a[0] + page_up(a[1]));
    if (r == 0)
        r = fmap_mmap(in, id, handle, a[0], page_up(a[1]), a[5], (uint32_t)(a[2] & PROT_MASK), fixed);
    else
        fmap_close(in, handle);
    fmap_unlock(in);
    return r;
}

int64_t sys_mmap(struct instance *in, const uint64_t *a)
{
    int64_t va;
    if (a[3] & MAP_ANONYMOUS) {
        if ((va = unmap_fixed_shared(in, a)))
            return va;
        ilock(&in->mm_lock);
        va = mmap_locked(in, a);
        iunlock(&in->mm_lock);
        return va;
    }
    int bad = mmap_args_bad(in, a);
    if (bad)
        return bad;
    /* The fd checked by the host as Linux checks it; a handle that outlives close(). */
    struct fmap_id id;
    int shared = (a[3] & MAP_TYPE) != MAP_PRIVATE;
    int64_t handle = fmap_open(in, a[4], shared && (a[2] & PROT_WRITE), &id);
    if (handle < 0)
        return handle;
    if (shared)
        return mmap_shared_file(in, a, handle, &id);
    /* Private: its first contents are what the instance sees of the file,
     * including stores to shared mappings of it (Linux's page cache). */
    int r = fmap_settle(in, &id);
    if (r == 0)
        r = unmap_fixed_shared(in, a);
    if (r) {
        fmap_close(in, handle);
        return r;
    }
    ilock(&in->mm_lock);
    va = mmap_locked(in, a);
    iunlock(&in->mm_lock);
    if (va < 0 || (a[2] & PROT_MASK) == PROT_NONE) {
        fmap_close(in, handle);
        return va;
    }
    /* Filled without the lock: the read may block this thread. */
    uint64_t size = page_up(a[1]);
    r = fill_from_file(in, (uint64_t)va, a[1], handle, a[5]);
    fmap_close(in, handle);
    ilock(&in->mm_lock);
    if (r == 0 && (a[2] & PROT_MASK) != (PROT_READ | PROT_WRITE)) {
        r = make_accessible(in, (uint64_t)va, (uint64_t)va + size, (uint32_t)(a[2] & PROT_MASK));
        tlb_shootdown(in);
    }
    if (r)
        unmap_range(in, (uint64_t)va, (uint64_t)va + size);
    iunlock(&in->mm_lock);
    return r ? r : va;
}

int64_t sys_munmap(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], size = page_up(a[1]);
    if (addr % PAGE_SIZE || a[1] == 0 || size < a[1] || addr >= USER_TOP || size > USER_TOP - addr)
        return -EINVAL;
    if (fmap_in_use(&in->fmap)) {
        fmap_lock(in);
        int r = fmap_unmap(in, addr, addr + size);
        fmap_unlock(in);
        return r;
    }
    ilock(&in->mm_lock);
    int r = vma_remove_user(&in->map, addr, addr + size);
    if (r == 0)
        mm_unmap(in, addr, size);
    iunlock(&in->mm_lock);
    return r;
}

int64_t sys_msync(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], size = page_up(a[1]), flags = a[2];
    if (addr % PAGE_SIZE || size < a[1] || (flags & ~(uint64_t)(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return -EINVAL;
    if (addr >= USER_TOP || size > USER_TOP - addr)
        return -ENOMEM;
    fmap_lock(in);
    int r = fmap_msync(in, addr, addr + size, (int)flags);
    fmap_unlock(in);
    return r;
}

/* mprotect's rules for shared file pages: PROT_WRITE only where the fd was
 * writable (EACCES), and their dirty bits written back before PROT_NONE
 * takes the page-table entries away. */
static int mprotect_shared(struct instance *in, uint64_t addr, uint64_t size, uint32_t prot)
{
    if (!fmap_in_use(&in->fmap))
        return 0;
    ilock(&in->mm_lock);
    int shared = 0, denied = 0;
    for (uint64_t va = addr; va < addr + size;) {
        struct vma *v = vma_next(&in->map, va);
        if (!v || v->start >= addr + size)
            break;
        shared |= (v->flags & VMA_F_SHARED) != 0;
        denied |= (prot & PROT_WRITE) && (v->flags & VMA_F_NOWRITE);
        va = v->end;
    }
    iunlock(&in->mm_lock);
    if (denied)
        return -EACCES;
    if (!shared || prot != PROT_NONE)
        return 0;
    fmap_lock(in);
    int r = fmap_msync(in, addr, addr + size, 0);
    fmap_unlock(in);
    return r;
}

int64_t sys_mprotect(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], size = page_up(a[1]);
    uint32_t prot = (uint32_t)(a[2] & ~(uint64_t)PROT_GROWS);
    if (addr % PAGE_SIZE || (prot & ~PROT_MASK) || size < a[1])
        return -EINVAL;
    if (size == 0)
        return 0;
    int r = mprotect_shared(in, addr, size, prot);
    if (r)
        return r;
    ilock(&in->mm_lock);
    r = make_accessible(in, addr, addr + size, prot);
    tlb_shootdown(in); /* rights may have narrowed */
    iunlock(&in->mm_lock);
    return r;
}

int64_t sys_madvise(struct instance *in, const uint64_t *a)
{
    uint64_t addr = a[0], size = page_up(a[1]);
    if (addr % PAGE_SIZE || size < a[1])
        return -EINVAL;
    if (a[2] != MADV_DONTNEED)
        return 0; /* advice; MADV_FREE may keep the contents */
    /* DONTNEED: anonymous memory reads as zero afterwards; a shared file
     * mapping keeps its contents (its pages are the file's, as Linux's page
     * cache is: dropping and re-reading it would find the same bytes). */
    ilock(&in->mm_lock);
    for (uint64_t va = addr; va < addr + size;) {
        uint64_t e;
        struct vma *v = vma_clip(&in->map, &va, addr + size, &e);
        if (!v)
            break;
        if (v->flags & VMA_F_SHARED)
            ;
        else if (v->kind == VMA_USER && v->prot != PROT_NONE)
            mm_zero(in, va, e - va);
        else if (v->kind == VMA_USER)
            vma_set_flag(&in->map, va, e, VMA_F_UNZEROED);
        va = e;
    }
    iunlock(&in->mm_lock);
    return 0;
}

static int64_t mremap_locked(struct instance *in, const uint64_t *a)
{
    uint64_t old = a[0], old_size = page_up(a[1]), new_size = page_up(a[2]), flags = a[3];
    if (old % PAGE_SIZE || new_size == 0 || new_size < a[2] || (flags & ~(uint64_t)MREMAP_MAYMOVE))
        return -EINVAL;
    struct vma *v = vma_find(&in->map, old);
    if (!v || v->kind != VMA_USER || v->pa_off != 0 || old_size > v->end - old || (v->flags & VMA_F_BRK))
        return -EFAULT;
    uint32_t prot = v->prot;
    if (new_size <= old_size) {
        if (new_size < old_size)
            unmap_range(in, old + new_size, old + old_size);
        return (int64_t)old;
    }
    uint64_t grow_at = old + old_size;
    if (grow_at <= in->mem_hi && new_size - old_size <= in->mem_hi - grow_at &&
        vma_is_free(&in->map, grow_at, old + new_size)) {
        struct vma t = {grow_at, old + new_size, 0, PROT_NONE, VMA_USER, VMA_F_UNZEROED};
        if (vma_insert(&in->map, &t) == 0 &&
            (prot == PROT_NONE || make_accessible(in, grow_at, old + new_size, prot) == 0))
            return (int64_t)old;
        unmap_range(in, grow_at, old + new_size);
        return -ENOMEM;
    }
    if (!(flags & MREMAP_MAYMOVE))
        return -ENOMEM;
    if (prot != PROT_NONE && !(prot & PROT_READ))
        return -EFAULT;
    const uint64_t args[6] = {0, new_size, prot, MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0};
    int64_t moved = mmap_locked(in, args);
    if (moved < 0)
        return moved;
    if (prot != PROT_NONE) {
        /* The new range may be read-only: write it with CR0.WP off. */
        uint64_t cr0 = read_cr0();
        write_cr0(cr0 & ~CR0_WP);
        user_access_begin();
        memcpy((void *)moved, (const void *)old, old_size);
        user_access_end();
        write_cr0(cr0);
    }
    unmap_range(in, old, old + old_size);
    return moved;
}

int64_t sys_mremap(struct instance *in, const uint64_t *a)
{
    if (fmap_in_use(&in->fmap)) {
        ilock(&in->mm_lock);
        struct vma *v = vma_find(&in->map, a[0]);
        int shared = v && (v->flags & VMA_F_SHARED);
        iunlock(&in->mm_lock);
        uint64_t old_size = page_up(a[1]), new_size = page_up(a[2]);
        if (shared) {
            if (a[0] % PAGE_SIZE || new_size == 0 || new_size < a[2] || old_size < a[1] || old_size == 0 ||
                (a[3] & ~(uint64_t)MREMAP_MAYMOVE))
                return -EINVAL;
            if (old_size > USER_TOP - a[0] || new_size > USER_TOP)
                return -EINVAL; /* as Linux: lengths beyond the address space */
            fmap_lock(in);
            int64_t r = fmap_mremap(in, a[0], old_size, new_size, a[3]);
            fmap_unlock(in);
            return r;
        }
    }
    ilock(&in->mm_lock);
    int64_t r = mremap_locked(in, a);
    iunlock(&in->mm_lock);
    return r;
}
