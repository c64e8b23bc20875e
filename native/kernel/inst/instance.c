/*
 * instance.c -- an instance's life on its cores.
 *
 *   START (park.c) -> instance_accept: check the descriptor, keep a copy
 *   cpus[0]: instance_run -> lead_run: LOADING; build the address space,
 *            load the ELF, build the stack and the first thread, open the
 *            offload channels; publish the instance (cpu->inst) and wait
 *            (bounded) for the other cores to join; RUNNING; the idle loop
 *            runs the first thread.
 *   cpus[1..]: member_run: wait until the lead publishes the instance,
 *            join it (its page tables, its run queue) and run the idle
 *            loop, which runs the threads placed on this core.
 *   The end (end.c): exit_group, the last thread's exit, a fatal signal,
 *   a fault or a STOP, on any core.
 */
#include "inst/instance.h"

#include <stddef.h>

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/lapic.h"
#include "arch/x86.h"
#include "inst/inst.h"
#include "layout.h"
#include "lib/console.h"
#include "lib/errno.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "node/clock.h"
#include "node/node.h"
#include "node/park.h"

#define MIN_PARTITION       (2ull << 20)
#define INITIAL_TABLE_PAGES 32
/* Every member has acknowledged START before the host starts the lead
 * (Instance.start), so each one is known to be coming: only the host's
 * scheduling of its vCPU can delay it.  On an overloaded host (load 16 on 2
 * CPUs) a member once took over 200 ms, was marked absent and the program ran
 * on fewer cores than it was given; wait long, give up only on a dead core. */
#define JOIN_WAIT_NS 10000000000ull

static int inside(uint64_t lo, uint64_t hi, uint64_t gpa, uint64_t size)
{
    return gpa >= lo && gpa <= hi && size <= hi - gpa;
}

/* Checks the copy of the descriptor header; returns -errno or 0. */
static int check_boot(const struct az_boot *b, uint64_t gpa, uint32_t self, uint32_t *pos)
{
    if (b->magic != AZ_BOOT_MAGIC || b->abi_version != AZ_ABI_VERSION) {
        kprintf("start: no az_boot (magic %lx, version %u) at %lx\n", b->magic, b->abi_version, gpa);
        return -EINVAL;
    }
    if (b->ncpus < 1 || b->ncpus > AZ_BOOT_MAX_CPUS) {
        kprintf("start: az_boot at %lx names %u cpus\n", gpa, b->ncpus);
        return -EINVAL;
    }
    *pos = ~0u;
    for (uint32_t i = 0; i < b->ncpus; i++) {
        if (b->cpus[i] >= ncpus || b->cpus[i] == node_info->monitor_cpu) {
            kprintf("start: az_boot at %lx names cpu %u, not available\n", gpa, b->cpus[i]);
            return -EINVAL;
        }
        if (b->cpus[i] == self)
            *pos = i;
    }
    if (*pos == ~0u) {
        kprintf("start: az_boot at %lx does not name this cpu\n", gpa);
        return -EINVAL;
    }
    uint64_t lo = b->mem_gpa, size = b->mem_size;
    if (lo % PAGE_SIZE || size % PAGE_SIZE || size < MIN_PARTITION || !node_range_usable(lo, size)) {
        kprintf("start: partition %lx+%lx is not usable memory\n", lo, size);
        return -EINVAL;
    }
    uint64_t hi = lo + size;
    if (!inside(lo, hi, gpa, sizeof *b) || (b->region_gpa && !inside(lo, hi, b->region_gpa, b->region_size)) ||
        !inside(lo, hi, b->elf_gpa, b->elf_size) || !inside(lo, hi, b->strings_gpa, b->strings_size)) {
        kprintf("start: az_boot at %lx: descriptor, region, program or strings outside the partition\n", gpa);
        return -EINVAL;
    }
    return 0;
}

int instance_accept(struct cpu *c, uint64_t gpa)
{
    if (gpa % 64 || !node_range_usable(gpa, sizeof(struct az_boot))) {
        kprintf("start: az_boot address %lx is not usable memory\n", gpa);
        return -EINVAL;
    }
    /* One copy; everything below reads the copy.  The status half of
     * the live descriptor is ours to write. */
    memcpy(c->launch, (const void *)gpa, sizeof(struct az_boot));
    uint32_t pos;
    int r = check_boot(c->launch, gpa, c->index, &pos);
    if (r)
        return r;
    if (pos == 0 && __atomic_load_n(&((struct az_boot *)gpa)->state, __ATOMIC_ACQUIRE) != AZ_INSTANCE_NEW) {
        kprintf("start: az_boot at %lx is not NEW\n", gpa);
        return -EBUSY;
    }
    c->inst_pos = pos;
    c->boot_gpa = gpa;
    c->mailbox->instance_gpa = gpa;
    __atomic_store_n(&c->mailbox->state, AZ_CORE_BUSY, __ATOMIC_RELEASE);
    return 0;
}

/* Writes the outcome into the live descriptor and wakes the cores of the
 * instance that never joined (they wait for a final state). */
void instance_report(uint64_t boot_gpa, const uint32_t *cores, uint32_t ncores, uint32_t state, int32_t status,
                     int32_t error, const char *msg)
{
    struct az_boot *live = (struct az_boot *)boot_gpa;
    live->exit_status = status;
    live->error = error;
    if (msg)
        strlcpy(live->message, msg, sizeof live->message);
    live->tsc_end = rdtsc();
    __atomic_store_n(&live->state, state, __ATOMIC_RELEASE);
    for (uint32_t i = 1; i < ncores; i++)
        lapic_send_ipi(cpus[cores[i]]->apic_id, VEC_WAKE);
}

static __attribute__((noreturn)) void fail(struct cpu *c, int err, const char *msg)
{
    kprintf("instance %lu: failed to start: %s\n", c->launch->instance_id, msg);
    instance_report(c->boot_gpa, c->launch->cpus, c->launch->ncpus, AZ_INSTANCE_FAILED, 0, err, msg);
    park_reset();
}

/* The host's ranges in the partition: descriptor, region, program, strings. */
static int host_ranges(const struct cpu *c, uint64_t r[4][2])
{
    const struct az_boot *b = c->launch;
    uint64_t in[4][2] = {
        {c->boot_gpa, sizeof(struct az_boot)},
        {b->region_gpa, b->region_gpa ? b->region_size : 0},
        {b->elf_gpa, b->elf_size},
        {b->strings_gpa, b->strings_size},
    };
    int n = 0;
    for (int i = 0; i < 4; i++) {
        if (!in[i][1])
            continue;
        r[n][0] = in[i][0] & ~(uint64_t)(PAGE_SIZE - 1);
        r[n][1] = (in[i][0] + in[i][1] + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
        n++;
    }
    return n;
}

/* The lowest page-aligned place for `size` bytes clear of the host's ranges. */
static uint64_t place_first(const struct cpu *c, uint64_t size)
{
    uint64_t r[4][2];
    int n = host_ranges(c, r);
    uint64_t lo = c->launch->mem_gpa, hi = lo + c->launch->mem_size, best = 0;
    for (int k = -1; k < n; k++) {
        uint64_t cand = k < 0 ? lo : r[k][1];
        if (cand < lo || cand > hi || size > hi - cand)
            continue;
        int clear = 1;
        for (int i = 0; i < n; i++)
            if (cand < r[i][1] && r[i][0] < cand + size)
                clear = 0;
        if (clear && (!best || cand < best))
            best = cand;
    }
    return best;
}

/* Reserves the free parts of [start, end) as `kind`. */
static int reserve(struct instance *in, uint64_t start, uint64_t end, uint16_t kind)
{
    for (uint64_t a = start; a < end;) {
        struct vma *v = vma_find(&in->map, a);
        if (v) {
            a = v->end;
            continue;
        }
        struct vma *next = vma_next(&in->map, a);
        uint64_t e = next && next->start < end ? next->start : end;
        struct vma n = {a, e, 0, PROT_READ | PROT_WRITE, kind, 0};
        if (vma_insert(&in->map, &n))
            return -ENOMEM;
        a = e;
    }
    return 0;
}

static void relax(void *ctx, uint32_t spins)
{
    (void)ctx;
    inst_relax(spins);
}

/*
 * The client calls this only when the proxy said it is going to sleep
 * (NEED_WAKEUP): one port write, which QEMU hands to the host.  It is the
 * only VM exit on the offload path, and a busy proxy never asks for it.
 */
static void kick(void *ctx, uint32_t *doorbell)
{
    (void)doorbell;
    const struct instance *in = ctx;
    if (in->can_kick)
        outb(in->kick_port, in->kick_value);
}

/* The address space, clocks and offload channel; on node page tables. */
static struct instance *create(struct cpu *c, char *msg, int *err)
{
    const struct az_boot *b = c->launch;
    uint64_t isize = (sizeof(struct instance) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t at = place_first(c, isize);
    if (!at) {
        ksnprintf(msg, MSG_MAX, "partition too small for the instance's own state");
        *err = -ENOMEM;
        return 0;
    }
    struct instance *in = (struct instance *)at;
    memset(in, 0, offsetof(struct instance, map)); /* the VMA table is used only up to its count */
    in->id = b->instance_id;
    in->boot = (struct az_boot *)c->boot_gpa;
    in->flags = b->flags;
    in->ncpus = b->ncpus;
    in->spin_cores = b->spin_cores == 0 || b->spin_cores > b->ncpus ? b->ncpus : b->spin_cores;
    memcpy(in->cpus, b->cpus, sizeof in->cpus);
    in->mem_lo = b->mem_gpa;
    in->mem_hi = b->mem_gpa + b->mem_size;
    in->region_gpa = b->region_gpa;
    in->region_size = b->region_size;
    in->elf_gpa = b->elf_gpa;
    in->elf_size = b->elf_size;
    in->strings_gpa = b->strings_gpa;
    in->strings_size = b->strings_size;
    in->argc = b->argc;
    in->envc = b->envc;
    in->stack_size = b->stack_size ? b->stack_size : DEFAULT_STACK_SIZE;
    if (b->realtime_ns) {
        in->realtime_base_ns = b->realtime_ns;
        in->tsc_base = rdtsc();
    } else {
        in->realtime_base_ns = rtc_boot_epoch_ns;
        in->tsc_base = tsc_at_boot;
    }
    in->rng[0] = rdtsc() ^ (in->id * 0x9E3779B97F4A7C15ull);
    in->rng[1] = node_info->boot_nonce ^ 0xD1B54A32D192ED03ull ^ c->boot_gpa;
    strlcpy(in->comm, "main", sizeof in->comm);

    vma_init(&in->map, in->mem_lo, in->mem_hi);
    uint64_t r[4][2];
    int n = host_ranges(c, r);
    struct vma self = {at, at + isize, 0, PROT_READ | PROT_WRITE, VMA_KERNEL, 0};
    int bad = vma_insert(&in->map, &self);
    for (int i = 0; i < n && !bad; i++)
        bad = reserve(in, r[i][0], r[i][1], VMA_HOST);
    /* The first table pages: written on the node tables, mapped below. */
    uint64_t pool = bad ? 0 : vma_find_gap(&in->map, INITIAL_TABLE_PAGES * PAGE_SIZE, PAGE_SIZE, 1, in->mem_hi);
    struct vma pv = {pool, pool + INITIAL_TABLE_PAGES * PAGE_SIZE, 0, PROT_READ | PROT_WRITE, VMA_KERNEL, 0};
    if (bad || !pool || vma_insert(&in->map, &pv)) {
        ksnprintf(msg, MSG_MAX, "partition too small for the instance's own state");
        *err = -ENOMEM;
        return 0;
    }
    vm_pool_add(&in->vm, pool, INITIAL_TABLE_PAGES * PAGE_SIZE);
    vm_init(&in->vm);
    if (mm_apply(in, in->mem_lo, in->mem_hi)) {
        ksnprintf(msg, MSG_MAX, "out of memory for page tables");
        *err = -ENOMEM;
        return 0;
    }
    in->icpu = (struct inst_cpu *)mm_alloc_kernel(in, in->ncpus * sizeof(struct inst_cpu));
    if (!in->icpu) {
        ksnprintf(msg, MSG_MAX, "out of memory for per-core state");
        *err = -ENOMEM;
        return 0;
    }
    memset(in->icpu, 0, in->ncpus * sizeof(struct inst_cpu));
    for (uint32_t i = 0; i < in->ncpus; i++) {
        in->icpu[i].index = i;
        in->icpu[i].cpu = in->cpus[i];
    }
    threads_init(in);

    if (in->region_gpa) {
        /* Copied once: the region is in memory the program can write. */
        const volatile struct az_region *rg = (const volatile struct az_region *)in->region_gpa;
        uint32_t features = rg->features;
        if (in->region_size >= sizeof(struct az_region) && (features & AZ_FEATURE_PORT_KICK)) {
            in->kick_port = (uint16_t)rg->kick_port;
            in->kick_value = (uint8_t)rg->kick_value;
            in->can_kick = 1;
        }
        struct az_env env = {kick, relax, in};
        int e = az_attach(&in->client, (void *)in->region_gpa, in->region_size, &env);
        /* Channel i serves cpus[i]; a region with fewer channels leaves
         * the other cores' threads without offloading (-ENOSYS). */
        for (uint32_t i = 0; e == 0 && i < in->ncpus && i < in->client.nchannels; i++)
            e = offload_open(in, &in->icpu[i]);
        if (e) {
            ksnprintf(msg, MSG_MAX, "offload region at %lx: %s", in->region_gpa, az_client_strerror(e));
            *err = -EINVAL;
            return 0;
        }
        in->have_client = 1;
    }
    return in;
}

/* Waits (bounded) for the other cores to join; those that do not come in
 * time are marked absent and get no threads. */
static void wait_members(struct cpu *c, struct instance *in)
{
    for (uint32_t i = 1; i < in->ncpus; i++)
        lapic_send_ipi(cpus[in->cpus[i]]->apic_id, VEC_WAKE);
    uint64_t t0 = rdtsc();
    for (uint32_t spins = 0; __atomic_load_n(&in->njoined, __ATOMIC_ACQUIRE) < in->ncpus; spins++) {
        if (tsc_to_ns(rdtsc() - t0) > JOIN_WAIT_NS)
            break;
        inst_relax(spins);
    }
    for (uint32_t i = 1; i < in->ncpus; i++) {
        uint32_t expect = JOIN_WAITING;
        if (__atomic_compare_exchange_n(&in->icpu[i].join_state, &expect, JOIN_ABSENT, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            kprintf("instance %lu: cpu %u did not join in time; no thread runs there\n", in->id, in->cpus[i]);
    }
    (void)c;
}

static __attribute__((noreturn)) void lead_run(struct cpu *c)
{
    struct az_boot *live = (struct az_boot *)c->boot_gpa;
    live->tsc_start = rdtsc();
    __atomic_store_n(&live->state, AZ_INSTANCE_LOADING, __ATOMIC_RELEASE);
    char msg[MSG_MAX];
    int err = 0;
    struct instance *in = create(c, msg, &err);
    if (!in)
        fail(c, err, msg);
    err = elf_load(in, msg);
    if (err)
        fail(c, err, msg);
    uint64_t sp = stack_build(in, msg, &err);
    if (!sp)
        fail(c, err, msg);
    struct thread *main = thread_create_main(in, in->entry, sp);
    if (!main)
        fail(c, -ENOMEM, "out of memory for the first thread");

    kprintf("instance %lu: %u core%s, memory %lx-%lx, entry %lx, stack %lx\n", in->id, in->ncpus,
            in->ncpus > 1 ? "s" : "", in->mem_lo, in->mem_hi, in->entry, sp);
    vm_activate(&in->vm);
    struct inst_cpu *ic = &in->icpu[0];
    ic->join_state = JOIN_JOINED;
    in->njoined = 1;
    c->icpu = ic;
    __atomic_store_n(&c->inst, in, __ATOMIC_RELEASE); /* members look here (member_run) */
    wait_members(c, in);
    in->tsc_entry = live->tsc_entry = rdtsc();
    __atomic_store_n(&live->state, AZ_INSTANCE_RUNNING, __ATOMIC_RELEASE);
    sched_start_thread(main);
    sched_idle_loop();
}

/* Joins `in` (0), or -1 if the lead gave up waiting for this core. */
static int join(struct cpu *c, struct instance *in)
{
    struct inst_cpu *ic = &in->icpu[c->inst_pos];
    uint32_t expect = JOIN_WAITING;
    if (!__atomic_compare_exchange_n(&ic->join_state, &expect, JOIN_JOINED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return -1;
    /* Counted before looking at `ending`; the ender sets `ending` before
     * counting: one of us sees the other. */
    __atomic_add_fetch(&in->njoined, 1, __ATOMIC_SEQ_CST);
    vm_activate(&in->vm);
    c->icpu = ic;
    c->inst = in;
    if (__atomic_load_n(&in->ending, __ATOMIC_SEQ_CST))
        instance_leave();
    sched_idle_loop();
}

/* A core that takes part but does not lead: joins once the lead has
 * built the instance, or waits for the outcome. */
static __attribute__((noreturn)) void member_run(struct cpu *c)
{
    const struct az_boot *live = (const struct az_boot *)c->boot_gpa;
    struct az_core_mailbox *mb = c->mailbox;
    struct cpu *lead = cpus[c->launch->cpus[0]];
    int absent = 0;
    for (;;) {
        cli();
        if (__atomic_load_n(&live->state, __ATOMIC_ACQUIRE) >= AZ_INSTANCE_EXITED)
            break;
        uint32_t seq = __atomic_load_n(&mb->cmd_seq, __ATOMIC_ACQUIRE);
        if (seq != c->acked_seq) {
            /* Busy: START is refused.  STOP releases this core alone (say,
             * one whose instance never started); the instance itself is
             * stopped through its first core. */
            uint32_t cmd = __atomic_load_n(&mb->cmd, __ATOMIC_RELAXED);
            mb->result = cmd == AZ_CORE_CMD_START ? -EBUSY : cmd == AZ_CORE_CMD_STOP ? 0 : -EINVAL;
            c->acked_seq = seq;
            __atomic_store_n(&mb->ack_seq, seq, __ATOMIC_RELEASE);
            if (cmd == AZ_CORE_CMD_STOP) {
                kprintf("instance %lu: core released by STOP\n", c->launch->instance_id);
                break;
            }
            continue;
        }
        /* The lead publishes the instance once it is built; the pointer is
         * the lead's only while it serves this very descriptor. */
        struct instance *in = __atomic_load_n(&lead->inst, __ATOMIC_ACQUIRE);
        if (!absent && in && lead->boot_gpa == c->boot_gpa && in->boot == (struct az_boot *)c->boot_gpa)
            absent = join(c, in) != 0;
        sti_hlt();
    }
    park_reset();
}
void instance_run(struct cpu *c)
{
    if (c->inst_pos == 0)
        lead_run(c);
    member_run(c);
}

void random_bytes(struct instance *in, void *buf, uint64_t len)
{
    uint8_t *p = buf;
    while (len) {
        uint64_t v = 0;
        uint8_t ok = 0;
        for (int tries = 0; cpu_features.rdrand && !ok && tries < 10; tries++)
            __asm__ volatile("rdrand %0; setc %b1" : "=r"(v), "=q"(ok));
        if (!ok) {
            /* xorshift128+, seeded from the TSC and the boot nonce. */
            uint64_t s1 = in->rng[0], s0 = in->rng[1];
            in->rng[0] = s0;
            s1 ^= s1 << 23;
            in->rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
            v = in->rng[1] + s0 + rdtsc();
        }
        uint64_t n = len < 8 ? len : 8;
        memcpy(p, &v, n);
        p += n;
        len -= n;
    }
}
