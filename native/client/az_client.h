/*
 * az_client.h -- the offload client: the guest end of the channel described
 * in include/azalea/abi.h.
 *
 * Written once, compiled twice: into the unikernel (freestanding: this header
 * and az_client.c use only <stdint.h>, <stddef.h>, the ABI header and GCC's
 * __atomic builtins; no libc, no allocation) and into host processes (the
 * stub).  What differs between the two lives behind struct az_env.
 *
 * Two ways to use a channel; pick one per channel:
 *
 *  - Call mode: az_call() from any number of threads at once.  Submission is
 *    serialised by a client-private spinlock, and every caller spins on its
 *    own completion while helping to drain the completion ring: whoever holds
 *    the (try-)lock delivers each completion to the call slot its id names.
 *
 *  - Raw mode: az_submit() / az_submit_batch() / az_reap(), with ids the
 *    caller chooses.  For pipelining and batching (benchmarks, an event loop).
 *    Mixing raw and call mode on one channel would hand call completions to
 *    az_reap() and the other way round, so don't.
 *
 * Call ids: id = (generation << 32) | slot, where slot indexes the channel's
 * small table of call slots (struct az_call_slot) and generation counts the
 * channel's calls, starting at the channel's sq_tail when it is opened.  A
 * completion is delivered only to a slot that is waiting for exactly that
 * id.  So a completion whose id is stale (left by an earlier client of the
 * same channel that died mid-call: its generations are all below the
 * positions it used, ours all above) or garbled is counted in
 * az_chan.stray_completions and dropped.  It can never write to memory it
 * does not own, as an id that is a raw waiter address could.
 *
 * Spinlocks: the lock holder never waits for the host inside a critical
 * section (a full ring releases the lock and retries), so a lock is held for
 * a few dozen instructions.  In a kernel, take them with preemption off.
 */
#ifndef AZALEA_CLIENT_H
#define AZALEA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "azalea/abi.h"

/* Linux's EAGAIN: "ring full, try again".  Freestanding code has no
 * <errno.h>; host code checks the two agree. */
#define AZ_EAGAIN 11

/* Results of az_attach() and az_chan_open(): 0 or one of these (negative). */
enum az_client_error {
    AZ_CLIENT_OK = 0,
    AZ_ERR_NULL = -1,         /* a required pointer argument is null */
    AZ_ERR_ALIGN = -2,        /* region base not AZ_REGION_ALIGN-aligned */
    AZ_ERR_TOO_SMALL = -3,    /* mapping smaller than struct az_region */
    AZ_ERR_MAGIC = -4,        /* magic is not AZ_REGION_MAGIC: not a region, or not formatted yet */
    AZ_ERR_VERSION = -5,      /* abi_version is not AZ_ABI_VERSION */
    AZ_ERR_GEOMETRY = -6,     /* nchannels, ring_entries, channel_offset or channel_stride invalid */
    AZ_ERR_BEYOND_MAP = -7,   /* region_size runs past the mapped size */
    AZ_ERR_NO_CHANNEL = -8,   /* channel index >= nchannels */
    AZ_ERR_CHANNEL_BUSY = -9, /* the channel holds unconsumed requests or unreaped completions */
};

/* A short English description of an az_client_error value. */
const char *az_client_strerror(int err);

/* What the environment provides. */
struct az_env {
    /*
     * Called after a publisher found AZ_CHANNEL_NEED_WAKEUP set and bumped
     * the region's doorbell word: wake the sleeping proxy (host processes:
     * FUTEX_WAKE on *doorbell).  NULL if the environment cannot wake the
     * host (a guest without a wake-up path: the proxy re-polls every
     * poll_interval_us while asleep).
     */
    void (*kick)(void *ctx, uint32_t *doorbell);
    /*
     * Called once per iteration of every spin-wait, with the number of
     * iterations so far: a pause instruction, and after a while a yield if
     * the environment has one.  NULL: a plain pause.
     */
    void (*relax)(void *ctx, uint32_t spins);
    void *ctx;
};

/* An attached region: its geometry, copied once and validated. */
struct az_client {
    struct az_region *region;
    uint64_t region_size;
    uint64_t channel_offset;
    uint64_t channel_stride;
    uint32_t nchannels;
    uint32_t ring_entries;
    struct az_env env;
};

/* How many az_call()s one channel serves at once; more callers wait. */
#define AZ_CALL_SLOTS 64

/* A caller waiting in az_call(); client-private memory. */
struct az_call_slot {
    uint64_t state; /* (generation << 2) | AZ_SLOT_* */
    int64_t result;
};

/* A channel as one client sees it.  Fields are private to az_client.c. */
struct az_chan {
    struct az_client *client;
    struct az_channel *shared;
    struct az_sqe *sq;
    const struct az_cqe *cq;
    uint32_t mask; /* ring_entries - 1 */
    uint32_t entries;

    /* Submission side, under sq_lock. */
    uint32_t sq_lock;
    uint32_t sq_pos;        /* next position to fill */
    uint32_t sq_head_cache; /* last sq_head read from the host */

    /* Completion side, under cq_lock. */
    uint32_t cq_lock;
    uint32_t cq_pos; /* next completion to consume */

    /* Call mode. */
    uint64_t free_slots; /* bit i set: slots[i] is free */
    uint32_t next_generation;
    uint32_t reserved;
    uint64_t stray_completions; /* completions whose id named no waiting call */
    struct az_call_slot slots[AZ_CALL_SLOTS];
};

/* One request for az_submit(): the fields of an az_sqe the caller chooses. */
struct az_request {
    uint64_t id;
    uint16_t opcode;
    uint64_t args[6];
};

/* One completion as az_reap() returns it. */
struct az_completion {
    uint64_t id;
    int64_t result;
};

/*
 * Attaches to the region at `region`, of which `mapped_size` bytes are
 * mapped.  Checks magic, version and geometry (every channel inside
 * region_size, region_size inside the mapping, no overflow) before trusting
 * any of it.  Returns 0 or an az_client_error.  `env` is copied.
 */
int az_attach(struct az_client *c, void *region, uint64_t mapped_size, const struct az_env *env);

/*
 * Opens channel `index` for this client.  The channel must be quiescent: no
 * submission the host has not consumed, no completion not reaped (else
 * AZ_ERR_CHANNEL_BUSY).  The client continues from the positions it finds,
 * so one region can serve several clients in turn.
 */
int az_chan_open(struct az_client *c, uint32_t index, struct az_chan *ch);

/*
 * Raw mode.  az_submit() publishes one request: 0, or -AZ_EAGAIN when the
 * ring is full (it never waits).  az_submit_batch() publishes as many of
 * `n` requests as fit, with one tail store and one doorbell check for all:
 * the count published (>= 1), or -AZ_EAGAIN if none fit (or n is 0).
 */
int az_submit(struct az_chan *ch, const struct az_request *req);
int az_submit_batch(struct az_chan *ch, const struct az_request *reqs, uint32_t n);

/*
 * Raw mode, for a caller that batches its doorbell: az_submit_quiet() is
 * az_submit() without the doorbell check; az_doorbell() is that check (and
 * the kick, when the proxy may sleep), once for everything published since.
 * A caller that waits for an answer must have rung it after its last quiet
 * submission, or the proxy may sleep on the request.
 */
int az_submit_quiet(struct az_chan *ch, const struct az_request *req);
void az_doorbell(struct az_chan *ch);

/* Raw mode: copies up to `max` completions out, frees their slots; returns the count. */
uint32_t az_reap(struct az_chan *ch, struct az_completion *out, uint32_t max);

/*
 * Call mode: submits one request and spins (calling env.relax) until its own
 * completion arrives; returns the result (>= 0 or -errno, as the host said).
 * Safe from several threads on one channel.
 */
int64_t az_call(struct az_chan *ch, uint16_t opcode, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                uint64_t a5);

#endif /* AZALEA_CLIENT_H */
