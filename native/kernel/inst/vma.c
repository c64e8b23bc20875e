/* vma.c -- the sorted range table behind mmap, munmap, mprotect and brk. */
#include "inst/vma.h"

#include "lib/errno.h"
#include "lib/string.h"

void vma_init(struct vma_map *m, uint64_t lo, uint64_t hi)
{
    m->count = 0;
    m->lo = lo;
    m->hi = hi;
}

/* Index of the first range whose end is above va. */
static uint32_t lower_bound(const struct vma_map *m, uint64_t va)
{
    uint32_t lo = 0, hi = m->count;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (m->v[mid].end <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct vma *vma_find(struct vma_map *m, uint64_t va)
{
    uint32_t i = lower_bound(m, va);
    return i < m->count && m->v[i].start <= va ? &m->v[i] : 0;
}

struct vma *vma_next(struct vma_map *m, uint64_t va)
{
    uint32_t i = lower_bound(m, va);
    return i < m->count ? &m->v[i] : 0;
}

struct vma *vma_clip(struct vma_map *m, uint64_t *va, uint64_t end, uint64_t *e)
{
    struct vma *v = vma_next(m, *va);
    if (!v || v->start >= end)
        return 0;
    if (v->start > *va)
        *va = v->start;
    *e = v->end < end ? v->end : end;
    return v;
}

int vma_is_free(struct vma_map *m, uint64_t start, uint64_t end)
{
    uint32_t i = lower_bound(m, start);
    return i == m->count || m->v[i].start >= end;
}

static int same_kind(const struct vma *a, const struct vma *b)
{
    return a->kind == b->kind && a->prot == b->prot && a->flags == b->flags && a->pa_off == b->pa_off;
}

static int make_room(struct vma_map *m, uint32_t at, uint32_t n)
{
    if (m->count + n > VMA_MAX)
        return -ENOMEM;
    memmove(&m->v[at + n], &m->v[at], (m->count - at) * sizeof m->v[0]);
    m->count += n;
    return 0;
}

static void drop(struct vma_map *m, uint32_t at, uint32_t n)
{
    memmove(&m->v[at], &m->v[at + n], (m->count - at - n) * sizeof m->v[0]);
    m->count -= n;
}

/* Merges v[i] with its neighbours where they touch and agree. */
static void coalesce(struct vma_map *m, uint32_t i)
{
    if (i + 1 < m->count && m->v[i].end == m->v[i + 1].start && same_kind(&m->v[i], &m->v[i + 1])) {
        m->v[i].end = m->v[i + 1].end;
        drop(m, i + 1, 1);
    }
    if (i > 0 && m->v[i - 1].end == m->v[i].start && same_kind(&m->v[i - 1], &m->v[i])) {
        m->v[i - 1].end = m->v[i].end;
        drop(m, i, 1);
    }
}

int vma_insert(struct vma_map *m, const struct vma *n)
{
    if (n->start >= n->end || !vma_is_free(m, n->start, n->end))
        return -EEXIST;
    uint32_t i = lower_bound(m, n->start);
    if (make_room(m, i, 1))
        return -ENOMEM;
    m->v[i] = *n;
    coalesce(m, i);
    return 0;
}

/* Splits so that a range boundary falls at va (no-op if one does). */
static int split_at(struct vma_map *m, uint64_t va)
{
    uint32_t i = lower_bound(m, va);
    if (i == m->count || m->v[i].start >= va)
        return 0;
    if (make_room(m, i + 1, 1))
        return -ENOMEM;
    m->v[i + 1] = m->v[i];
    m->v[i].end = va;
    m->v[i + 1].start = va;
    return 0;
}

/* Whether every range intersecting [start, end) is of `kind`. */
static int only_kind(struct vma_map *m, uint64_t start, uint64_t end, uint16_t kind)
{
    for (uint32_t i = lower_bound(m, start); i < m->count && m->v[i].start < end; i++)
        if (m->v[i].kind != kind)
            return 0;
    return 1;
}

/* Merges what now agrees among the ranges meeting [start, end] and their neighbours. */
static void recoalesce(struct vma_map *m, uint64_t start, uint64_t end)
{
    uint32_t first = lower_bound(m, start), last = first;
    while (last + 1 < m->count && m->v[last + 1].start <= end)
        last++;
    /* From the right, so merges do not move what is still to visit. */
    for (uint32_t j = last + 1; j-- > first;)
        if (j < m->count)
            coalesce(m, j);
}

static int remove_kind(struct vma_map *m, uint64_t start, uint64_t end, uint16_t kind)
{
    if (!only_kind(m, start, end, kind))
        return -EINVAL;
    /* Two splits need at most two free slots: check before changing anything. */
    if (m->count + 2 > VMA_MAX)
        return -ENOMEM;
    split_at(m, start);
    split_at(m, end);
    uint32_t i = lower_bound(m, start), j = i;
    while (j < m->count && m->v[j].start < end)
        j++;
    drop(m, i, j - i);
    return 0;
}

int vma_remove_user(struct vma_map *m, uint64_t start, uint64_t end)
{
    return remove_kind(m, start, end, VMA_USER);
}

int vma_remove_backing(struct vma_map *m, uint64_t start, uint64_t end)
{
    return remove_kind(m, start, end, VMA_BACKING);
}

int vma_protect_user(struct vma_map *m, uint64_t start, uint64_t end, uint32_t prot)
{
    /* Linux: -ENOMEM if any part of the range is unmapped. */
    uint64_t at = start;
    for (uint32_t i = lower_bound(m, start); i < m->count && m->v[i].start < end; i++) {
        if (m->v[i].start > at || m->v[i].kind != VMA_USER)
            return m->v[i].kind != VMA_USER ? -EINVAL : -ENOMEM;
        at = m->v[i].end;
    }
    if (at < end)
        return -ENOMEM;
    if (m->count + 2 > VMA_MAX)
        return -ENOMEM;
    split_at(m, start);
    split_at(m, end);
    for (uint32_t j = lower_bound(m, start); j < m->count && m->v[j].start < end; j++)
        m->v[j].prot = prot;
    recoalesce(m, start, end);
    return 0;
}

void vma_clear_flag(struct vma_map *m, uint64_t start, uint64_t end, uint16_t flag)
{
    for (uint32_t j = lower_bound(m, start); j < m->count && m->v[j].start < end; j++)
        if (m->v[j].start >= start && m->v[j].end <= end)
            m->v[j].flags &= (uint16_t)~flag;
    recoalesce(m, start, end);
}

void vma_set_flag(struct vma_map *m, uint64_t start, uint64_t end, uint16_t flag)
{
    for (uint32_t j = lower_bound(m, start); j < m->count && m->v[j].start < end; j++)
        if (m->v[j].start >= start && m->v[j].end <= end)
            m->v[j].flags |= flag;
    recoalesce(m, start, end);
}

uint64_t vma_find_gap(struct vma_map *m, uint64_t size, uint64_t align, int bottom_up, uint64_t below)
{
    if (below > m->hi)
        below = m->hi;
    if (size == 0 || size > below - m->lo)
        return 0;
    /* Walk the gaps between ranges that intersect the partition. */
    uint32_t first = lower_bound(m, m->lo);
    uint64_t best = 0;
    uint64_t gap_start = m->lo;
    for (uint32_t i = first;; i++) {
        uint64_t gap_end = i < m->count && m->v[i].start < below ? m->v[i].start : below;
        if (gap_end > gap_start && gap_end - gap_start >= size) {
            if (bottom_up) {
                uint64_t a = (gap_start + align - 1) & ~(align - 1);
                if (a >= gap_start && a <= gap_end - size)
                    return a;
            } else {
                uint64_t a = (gap_end - size) & ~(align - 1);
                if (a >= gap_start)
                    best = a;
            }
        }
        if (i >= m->count || m->v[i].start >= below)
            break;
        if (m->v[i].end > gap_start)
            gap_start = m->v[i].end;
    }
    return best;
}
