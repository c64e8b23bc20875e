/*
 * az_client.c -- the offload client (see az_client.h).  Freestanding: no
 * libc, no allocation; ordering through GCC __atomic builtins only.
 *
 * Memory ordering, in one place:
 *  - An entry's fields are plain stores; its seq is stored last with release,
 *    so a host that acquire-loads seq == pos + 1 sees every field.
 *  - sq_head is acquire-loaded before a slot is reused, so the host's reads
 *    of the old entry happened before we overwrite it.
 *  - Completions: acquire-load cqe.seq, then read id and result; cq_head is
 *    release-stored after the batch so the host reuses slots only after our
 *    reads.
 *  - Doorbell: publish, full fence, read flags.  The proxy does the mirror
 *    image (set NEED_WAKEUP, full fence, re-check the rings), so at least
 *    one side sees the other's store: either the proxy finds our entry, or
 *    we find its flag and wake it.  Without the full fence both loads could
 *    be satisfied before the other side's store (store buffering) and the
 *    proxy would sleep on a request until its timeout.
 */
#include "az_client.h"

/* az_call_slot.state: low two bits; the generation sits above them. */
#define AZ_SLOT_IDLE       0u
#define AZ_SLOT_WAITING    1u
#define AZ_SLOT_DONE       2u
#define AZ_SLOT_STATE_MASK 3u

const char *az_client_strerror(int err)
{
    switch (err) {
    case AZ_CLIENT_OK:
        return "success";
    case AZ_ERR_NULL:
        return "null argument";
    case AZ_ERR_ALIGN:
        return "region base is not 4 KiB aligned";
    case AZ_ERR_TOO_SMALL:
        return "mapping smaller than a region header";
    case AZ_ERR_MAGIC:
        return "bad magic: not an offload region, or not formatted yet";
    case AZ_ERR_VERSION:
        return "ABI version mismatch";
    case AZ_ERR_GEOMETRY:
        return "invalid channel geometry in the region header";
    case AZ_ERR_BEYOND_MAP:
        return "region extends beyond the mapping";
    case AZ_ERR_NO_CHANNEL:
        return "no such channel";
    case AZ_ERR_CHANNEL_BUSY:
        return "channel busy: requests or completions outstanding";
    default:
        return "unknown client error";
    }
}

static void relax(const struct az_client *c, uint32_t spins)
{
    if (c->env.relax)
        c->env.relax(c->env.ctx, spins);
    else
        __builtin_ia32_pause();
}

/* Client-private spinlocks: test-and-test-and-set. */
static int try_lock(uint32_t *lock)
{
    return __atomic_load_n(lock, __ATOMIC_RELAXED) == 0 && __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) == 0;
}

/* Inlined (as are sq_space, fill and ring_doorbell): each is on every round trip. */
static inline __attribute__((always_inline)) void lock(const struct az_client *c, uint32_t *l)
{
    for (uint32_t spins = 0; !try_lock(l); spins++)
        relax(c, spins);
}

static void unlock(uint32_t *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

int az_attach(struct az_client *c, void *region, uint64_t mapped_size, const struct az_env *env)
{
    if (!c || !region)
        return AZ_ERR_NULL;
    if ((uintptr_t)region % AZ_REGION_ALIGN != 0)
        return AZ_ERR_ALIGN;
    if (mapped_size < sizeof(struct az_region))
        return AZ_ERR_TOO_SMALL;

    /* The host wrote these once before we may look; copy each once anyway
     * and check the copies, so nothing below depends on a second read. */
    struct az_region *r = region;
    uint64_t magic = __atomic_load_n(&r->magic, __ATOMIC_ACQUIRE);
    if (magic != AZ_REGION_MAGIC)
        return AZ_ERR_MAGIC;
    if (r->abi_version != AZ_ABI_VERSION)
        return AZ_ERR_VERSION;
    uint32_t nchannels = r->nchannels;
    uint32_t entries = r->ring_entries;
    uint64_t size = r->region_size;
    uint64_t offset = r->channel_offset;
    uint64_t stride = r->channel_stride;

    if (nchannels < 1 || nchannels > AZ_MAX_CHANNELS)
        return AZ_ERR_GEOMETRY;
    if (entries < AZ_MIN_RING_ENTRIES || entries > AZ_MAX_RING_ENTRIES || (entries & (entries - 1)) != 0)
        return AZ_ERR_GEOMETRY;
    uint64_t channel_bytes =
        sizeof(struct az_channel) + (uint64_t)entries * (sizeof(struct az_sqe) + sizeof(struct az_cqe));
    if (offset < sizeof(struct az_region) || offset % AZ_CACHE_LINE != 0)
        return AZ_ERR_GEOMETRY;
    if (stride < channel_bytes || stride % AZ_CACHE_LINE != 0)
        return AZ_ERR_GEOMETRY;
    /* offset + nchannels * stride <= size, without overflow: nchannels is
     * at most 256, so dividing first keeps every product in range. */
    if (offset > size || stride > (size - offset) / nchannels)
        return AZ_ERR_GEOMETRY;
    if (size > mapped_size)
        return AZ_ERR_BEYOND_MAP;

    c->region = r;
    c->region_size = size;
    c->channel_offset = offset;
    c->channel_stride = stride;
    c->nchannels = nchannels;
    c->ring_entries = entries;
    c->env.kick = env ? env->kick : 0;
    c->env.relax = env ? env->relax : 0;
    c->env.ctx = env ? env->ctx : 0;
    return AZ_CLIENT_OK;
}

int az_chan_open(struct az_client *c, uint32_t index, struct az_chan *ch)
{
    if (!c || !ch || !c->region)
        return AZ_ERR_NULL;
    if (index >= c->nchannels)
        return AZ_ERR_NO_CHANNEL;

    char *base = (char *)c->region + c->channel_offset + (uint64_t)index * c->channel_stride;
    struct az_channel *shared = (struct az_channel *)base;
    uint32_t sq_tail = __atomic_load_n(&shared->sq_tail, __ATOMIC_ACQUIRE);
    uint32_t sq_head = __atomic_load_n(&shared->sq_head, __ATOMIC_ACQUIRE);
    uint32_t cq_tail = __atomic_load_n(&shared->cq_tail, __ATOMIC_ACQUIRE);
    uint32_t cq_head = __atomic_load_n(&shared->cq_head, __ATOMIC_ACQUIRE);
    if (sq_tail != sq_head || cq_tail != cq_head)
        return AZ_ERR_CHANNEL_BUSY;

    ch->client = c;
    ch->shared = shared;
    ch->sq = (struct az_sqe *)(base + sizeof(struct az_channel));
    ch->cq =
        (const struct az_cqe *)(base + sizeof(struct az_channel) + (uint64_t)c->ring_entries * sizeof(struct az_sqe));
    ch->entries = c->ring_entries;
    ch->mask = c->ring_entries - 1;
    ch->sq_lock = 0;
    ch->sq_pos = sq_tail;
    ch->sq_head_cache = sq_head;
    ch->cq_lock = 0;
    ch->cq_pos = cq_head;
    ch->free_slots = ~(uint64_t)0;
    /* Start generations where the ring stands, so ids differ from those of
     * an earlier client of this channel (see "Call ids" in the header). */
    ch->next_generation = sq_tail;
    ch->reserved = 0;
    ch->stray_completions = 0;
    for (uint32_t i = 0; i < AZ_CALL_SLOTS; i++) {
        ch->slots[i].state = AZ_SLOT_IDLE;
        ch->slots[i].result = 0;
    }
    return AZ_CLIENT_OK;
}

/* Free submission slots, re-reading the host's head only when the cached one says "full". */
static inline __attribute__((always_inline)) uint32_t sq_space(struct az_chan *ch, uint32_t wanted)
{
    uint32_t used = ch->sq_pos - ch->sq_head_cache;
    if (used <= ch->entries && ch->entries - used >= wanted)
        return ch->entries - used;
    ch->sq_head_cache = __atomic_load_n(&ch->shared->sq_head, __ATOMIC_ACQUIRE);
    used = ch->sq_pos - ch->sq_head_cache;
    /* A head ahead of our tail is nonsense from the host: treat as full
     * rather than overwrite entries it may still be reading. */
    return used <= ch->entries ? ch->entries - used : 0;
}

static inline __attribute__((always_inline)) void fill(struct az_chan *ch, uint32_t pos, const struct az_request *req)
{
    struct az_sqe *e = &ch->sq[pos & ch->mask];
    e->opcode = req->opcode;
    e->flags = 0;
    e->id = req->id;
    for (int i = 0; i < 6; i++)
        e->args[i] = req->args[i];
    /* Publishes the entry: the host polls seq, not sq_tail. */
    __atomic_store_n(&e->seq, pos + 1, __ATOMIC_RELEASE);
}

/* After publishing: wake the proxy if it announced it might sleep. */
static inline __attribute__((always_inline)) void ring_doorbell(struct az_chan *ch)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&ch->shared->flags, __ATOMIC_RELAXED) & AZ_CHANNEL_NEED_WAKEUP) {
        struct az_client *c = ch->client;
        /* Bumping the word makes a proxy that is just about to sleep on the
         * old value return at once instead of missing this wake-up. */
        __atomic_fetch_add(&c->region->doorbell, 1, __ATOMIC_SEQ_CST);
        if (c->env.kick)
            c->env.kick(c->env.ctx, &c->region->doorbell);
    }
}

/* Publishes as many of `n` requests as fit; returns the count. */
static inline __attribute__((always_inline)) uint32_t publish(struct az_chan *ch, const struct az_request *reqs,
                                                              uint32_t n)
{
    lock(ch->client, &ch->sq_lock);
    uint32_t space = sq_space(ch, n);
    uint32_t count = n < space ? n : space;
    uint32_t pos = ch->sq_pos;
    for (uint32_t i = 0; i < count; i++)
        fill(ch, pos + i, &reqs[i]);
    ch->sq_pos = pos + count;
    if (count)
        /* Once per batch: the host reads it only to decide whether to sleep. */
        __atomic_store_n(&ch->shared->sq_tail, pos + count, __ATOMIC_RELEASE);
    unlock(&ch->sq_lock);
    return count;
}

int az_submit_batch(struct az_chan *ch, const struct az_request *reqs, uint32_t n)
{
    if (n == 0)
        return -AZ_EAGAIN;
    uint32_t count = publish(ch, reqs, n);
    if (count == 0)
        return -AZ_EAGAIN;
    /* Outside the lock: a kick may be a system call. */
    ring_doorbell(ch);
    return (int)count;
}

int az_submit(struct az_chan *ch, const struct az_request *req)
{
    int r = az_submit_batch(ch, req, 1);
    return r < 0 ? r : 0;
}

int az_submit_quiet(struct az_chan *ch, const struct az_request *req)
{
    return publish(ch, req, 1) ? 0 : -AZ_EAGAIN;
}

void az_doorbell(struct az_chan *ch)
{
    ring_doorbell(ch);
}

/*
 * Consumes every completion available, handing each to `deliver`; publishes
 * cq_head once.  The caller holds cq_lock.  Returns the count consumed.
 */
static uint32_t drain(struct az_chan *ch, struct az_completion *out, uint32_t max)
{
    uint32_t pos = ch->cq_pos;
    uint32_t n = 0;
    while (n < max) {
        const struct az_cqe *e = &ch->cq[pos & ch->mask];
        if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != pos + 1)
            break;
        out[n].id = e->id;
        out[n].result = e->result;
        n++;
        pos++;
    }
    if (n) {
        __atomic_store_n(&ch->cq_pos, pos, __ATOMIC_RELAXED);
        __atomic_store_n(&ch->shared->cq_head, pos, __ATOMIC_RELEASE);
    }
    return n;
}

uint32_t az_reap(struct az_chan *ch, struct az_completion *out, uint32_t max)
{
    lock(ch->client, &ch->cq_lock);
    uint32_t n = drain(ch, out, max);
    unlock(&ch->cq_lock);
    return n;
}

/* Hands one completion to the call slot waiting for its id, if any. */
static void deliver(struct az_chan *ch, const struct az_completion *done)
{
    uint64_t slot = done->id & 0xffffffffu;
    uint64_t generation = done->id >> 32;
    if (slot >= AZ_CALL_SLOTS) {
        ch->stray_completions++;
        return;
    }
    struct az_call_slot *s = &ch->slots[slot];
    uint64_t waiting = (generation << 2) | AZ_SLOT_WAITING;
    /* Only the owner leaves WAITING, and only after we store DONE, so
     * nothing can change the slot between this check and our stores. */
    if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != waiting) {
        ch->stray_completions++;
        return;
    }
    s->result = done->result;
    __atomic_store_n(&s->state, (generation << 2) | AZ_SLOT_DONE, __ATOMIC_RELEASE);
}

/* One pass of helping: if no one else is draining, drain and deliver.  Returns the count. */
static uint32_t pump(struct az_chan *ch)
{
    /* Peek first: waiters call this in a tight loop, and an atomic exchange
     * per iteration would cost more than the load that usually says "nothing
     * yet".  cq_pos read without the lock is only a hint; drain() re-checks. */
    uint32_t pos = __atomic_load_n(&ch->cq_pos, __ATOMIC_RELAXED);
    if (__atomic_load_n(&ch->cq[pos & ch->mask].seq, __ATOMIC_RELAXED) != pos + 1)
        return 0;
    if (!try_lock(&ch->cq_lock))
        return 0;
    struct az_completion batch[16];
    uint32_t total = 0, n;
    do {
        n = drain(ch, batch, 16);
        for (uint32_t i = 0; i < n; i++)
            deliver(ch, &batch[i]);
        total += n;
    } while (n == 16);
    unlock(&ch->cq_lock);
    return total;
}

static uint32_t claim_slot(struct az_chan *ch)
{
    for (uint32_t spins = 0;; spins++) {
        uint64_t free = __atomic_load_n(&ch->free_slots, __ATOMIC_RELAXED);
        if (free) {
            uint32_t i = (uint32_t)__builtin_ctzll(free);
            if (__atomic_compare_exchange_n(&ch->free_slots, &free, free & ~((uint64_t)1 << i), 0, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return i;
            continue;
        }
        /* All slots busy: their owners are waiting on completions we can drain. */
        if (!pump(ch))
            relax(ch->client, spins);
    }
}

int64_t az_call(struct az_chan *ch, uint16_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                uint64_t a5)
{
    uint32_t i = claim_slot(ch);
    struct az_call_slot *s = &ch->slots[i];
    uint64_t generation = __atomic_fetch_add(&ch->next_generation, 1, __ATOMIC_RELAXED);
    generation &= 0xffffffffu;
    __atomic_store_n(&s->state, (generation << 2) | AZ_SLOT_WAITING, __ATOMIC_RELEASE);

    struct az_request req;
    req.id = (generation << 32) | i;
    req.opcode = opcode;
    req.args[0] = a0;
    req.args[1] = a1;
    req.args[2] = a2;
    req.args[3] = a3;
    req.args[4] = a4;
    req.args[5] = a5;

    uint32_t spins = 0;
    /* A full ring drains only if someone reaps: help while retrying. */
    while (az_submit(ch, &req) != 0) {
        if (!pump(ch))
            relax(ch->client, spins++);
    }
    uint64_t done = (generation << 2) | AZ_SLOT_DONE;
    while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != done) {
        if (!pump(ch))
            relax(ch->client, spins++);
    }
    int64_t result = s->result;
    __atomic_store_n(&s->state, AZ_SLOT_IDLE, __ATOMIC_RELAXED);
    __atomic_fetch_or(&ch->free_slots, (uint64_t)1 << i, __ATOMIC_RELEASE);
    return result;
}
