/*
 * azalea/abi.h -- the whole contract between an Azalea unikernel (the guest)
 * and the full-weight kernel's offload proxy (the host, written in Java).
 *
 * Self-contained: only <stdint.h> and <stddef.h>.  jextract-friendly: no bit
 * fields, no function-like macros, fixed-width types only.  Guest addresses
 * are plain uint64_t guest-physical addresses (GPAs), never host pointers, so
 * the host cannot dereference one by accident: it must translate each through
 * its checked partition map.
 *
 * Field annotations say who writes a field:
 *   IN   written by the guest (the client), read by the host (the proxy);
 *   OUT  written by the host, read by the guest;
 *   INIT written once by the host when it creates the region, before the
 *        guest may touch it; read-only afterwards.
 * Everything the guest writes is untrusted by the host.
 *
 * Any change to a layout or a meaning bumps AZ_ABI_VERSION.  New fields are
 * only appended, or take the place of a field named reserved*.
 *
 * ---------------------------------------------------------------------------
 * The offload region (one per unikernel instance, inside its partition):
 *
 *   region base (4 KiB aligned)
 *   +-------------------------------+ 0
 *   | struct az_region   (256 B)    |  identity, geometry, doorbell
 *   +-------------------------------+ channel_offset
 *   | channel 0                     |  channel_stride bytes each
 *   |   struct az_channel (512 B)   |  ring indices, one per cache-line pair
 *   |   sq: ring_entries x az_sqe   |  submissions, guest -> host
 *   |   cq: ring_entries x az_cqe   |  completions, host -> guest
 *   +-------------------------------+
 *   | channel 1 ...                 |
 *
 * One channel per unikernel core (see docs/architecture.md for why): the
 * core is its channel's only producer, so submission needs no atomic
 * read-modify-write on shared memory.  Host-side clients with several
 * threads on one channel serialise submission with a client-private lock.
 *
 * The ring protocol (both rings, "sequenced SPSC ring"):
 *   Entries live at index (pos & (ring_entries - 1)); pos is a free-running
 *   uint32_t counter.  The producer fills every field of the entry, then
 *   stores entry.seq = pos + 1 with release ordering: that store publishes
 *   the entry.  The consumer at position pos waits for seq == pos + 1
 *   (acquire) and copies the fields it needs once.  It publishes its head
 *   (release) lazily: at least every half ring, before it sleeps, and when it
 *   stops -- the head shares a line with the flags every producer reads, so
 *   publishing it per request would move that line on every round trip.  The
 *   producer may fill position pos only when pos - head < ring_entries; it
 *   caches head and re-reads it only when the ring looks full (and then finds
 *   at least half a ring free).  After a batch the producer publishes its tail
 *   (release), which consumers use only to decide whether to sleep.  The
 *   consumer never writes to entries, so entry cache lines travel one way.
 *
 * Completions: the host consumes a submission only when it has a completion
 * slot reserved for it, so the completion ring never overflows, whatever the
 * guest writes to cq_head.  Each completion echoes the submission's id.
 *
 * Doorbell: a proxy with nothing to do spins a bounded time, then sets
 * AZ_CHANNEL_NEED_WAKEUP in every channel it serves, issues a full fence,
 * checks every ring once more, and sleeps on az_region.doorbell (a futex
 * word), with a timeout.  A producer, after publishing, issues a full fence
 * and reads its channel's flags: if NEED_WAKEUP is set it increments the
 * doorbell and wakes it (FUTEX_WAKE from a host process; from a guest, the
 * kick named by AZ_FEATURE_* in az_region.features).
 * ---------------------------------------------------------------------------
 */
#ifndef AZALEA_ABI_H
#define AZALEA_ABI_H

#include <stddef.h>
#include <stdint.h>

/* "AZALEAOF" read as a little-endian uint64_t. */
#define AZ_REGION_MAGIC 0x464F41454C415A41ULL
#define AZ_ABI_VERSION 1

/* Feature bits in az_region.features (INIT). */
#define AZ_FEATURE_FUTEX_DOORBELL (1U << 0) /* host processes wake the proxy with FUTEX_WAKE */
#define AZ_FEATURE_TIMED_POLL (1U << 1)     /* a sleeping proxy re-polls every poll_interval_us */

/* az_region.host_state (OUT). */
#define AZ_HOST_STOPPED 0
#define AZ_HOST_SERVING 1

/* az_channel.flags (OUT). */
#define AZ_CHANNEL_NEED_WAKEUP (1U << 0)

/* Geometry limits. */
#define AZ_CACHE_LINE 64
#define AZ_REGION_ALIGN 4096
#define AZ_MAX_CHANNELS 256
#define AZ_MIN_RING_ENTRIES 2
#define AZ_MAX_RING_ENTRIES 4096
#define AZ_PATH_MAX 4096    /* bytes of a path including its NUL */
#define AZ_IOV_MAX 1024     /* iovecs in one readv/writev/sendmsg/recvmsg */
#define AZ_POLL_MAX 1024    /* pollfds in one poll */
#define AZ_HOSTENT_MAX_ADDRS 16

struct az_region {
    uint64_t magic;            /* INIT: AZ_REGION_MAGIC */
    uint32_t abi_version;      /* INIT: AZ_ABI_VERSION */
    uint32_t features;         /* INIT: AZ_FEATURE_* */
    uint32_t nchannels;        /* INIT: 1..AZ_MAX_CHANNELS */
    uint32_t ring_entries;     /* INIT: entries per ring, a power of two */
    uint64_t region_gpa;       /* INIT: guest-physical address of this struct */
    uint64_t region_size;      /* INIT: bytes from region_gpa to the end of the last channel */
    uint64_t channel_offset;   /* INIT: from region base to channel 0 */
    uint64_t channel_stride;   /* INIT: from one channel to the next */
    uint32_t poll_interval_us; /* INIT: longest a sleeping proxy waits before re-polling */
    uint32_t host_state;       /* OUT: AZ_HOST_* */
    uint64_t reserved0[8];
    /* Lines 2-3, a pair of its own: bumped by every producer that rings. */
    uint32_t doorbell;         /* IN: futex word the proxy sleeps on */
    uint32_t reserved1[31];
};

struct az_channel {
    /* Lines 0-1: submission-ring producer (the guest). */
    uint32_t sq_tail;          /* IN: positions published so far */
    uint32_t reserved_sq_tail[31];
    /* Lines 2-3: submission-ring consumer (the host). */
    uint32_t sq_head;          /* OUT: positions consumed; their entries are free again */
    uint32_t flags;            /* OUT: AZ_CHANNEL_* */
    uint32_t reserved_sq_head[30];
    /* Lines 4-5: completion-ring producer (the host). */
    uint32_t cq_tail;          /* OUT: completions published so far */
    uint32_t reserved_cq_tail[31];
    /* Lines 6-7: completion-ring consumer (the guest). */
    uint32_t cq_head;          /* IN: completions consumed */
    uint32_t reserved_cq_head[31];
};

/* A submission: one offloaded system call.  64 bytes, one cache line. */
struct az_sqe {
    uint32_t seq;     /* IN: pos + 1 once the entry is complete (release) */
    uint16_t opcode;  /* IN: AZ_OP_* */
    uint16_t flags;   /* IN: must be 0 (reserved for request chaining) */
    uint64_t id;      /* IN: correlation id, echoed in the completion */
    uint64_t args[6]; /* IN: the Linux x86-64 arguments of the call, every
                       *     pointer replaced by a guest-physical address;
                       *     strings are NUL-terminated within AZ_PATH_MAX */
};

/* A completion.  32 bytes, two per cache line. */
struct az_cqe {
    uint64_t id;       /* OUT: the submission's id */
    int64_t result;    /* OUT: >= 0 on success, or -errno (Linux values) */
    uint32_t seq;      /* OUT: pos + 1 once the entry is complete (release) */
    uint32_t flags;    /* OUT: must be ignored; 0 today */
    uint64_t reserved; /* OUT: 0 */
};

/*
 * AZ_OP_GETHOSTBYNAME's answer, written to args[2] (at most args[3] bytes):
 * the host resolves args[0] (a NUL-terminated name) for family args[1]
 * (AF_INET, AF_INET6, or AF_UNSPEC for both) and returns the count.
 */
struct az_hostent {
    uint32_t count;                           /* OUT: addresses below */
    uint32_t reserved;                        /* OUT: 0 */
    uint16_t family[AZ_HOSTENT_MAX_ADDRS];    /* OUT: AF_INET or AF_INET6 */
    uint8_t addr[AZ_HOSTENT_MAX_ADDRS][16];   /* OUT: network byte order; IPv4 in the first 4 */
};

/*
 * Opcodes: our own numbers, stable once released.  Arguments follow the
 * Linux x86-64 system call of the same name unless stated otherwise.  File
 * descriptors are the instance's own numbers; paths resolve inside the
 * instance's root directory.
 */
enum az_opcode {
    AZ_OP_NOP = 0,          /* no host work; result 0 (for measuring the channel) */
    /* The paper's file-system offload set (Table I). */
    AZ_OP_READ = 1,
    AZ_OP_WRITE = 2,
    AZ_OP_OPEN = 3,
    AZ_OP_CREAT = 4,
    AZ_OP_CLOSE = 5,
    AZ_OP_LSEEK = 6,
    AZ_OP_LSTAT = 7,
    AZ_OP_MKDIR = 8,
    AZ_OP_LINK = 9,
    AZ_OP_UNLINK = 10,
    AZ_OP_READLINK = 11,
    AZ_OP_OPENAT = 12,
    AZ_OP_UNAME = 13,       /* args[0]: struct utsname (390 bytes); sysname "Azalea" */
    AZ_OP_GETCWD = 14,      /* result: length including the NUL, as the Linux syscall */
    AZ_OP_CHDIR = 15,
    AZ_OP_ACCESS = 16,
    AZ_OP_STAT = 17,
    AZ_OP_SYNC = 18,
    AZ_OP_FSTAT = 19,
    AZ_OP_IOCTL = 20,       /* only requests whose argument holds no pointer */
    /* The paper's network offload set (Table I). */
    AZ_OP_GETHOSTNAME = 21, /* args[0]: buffer, args[1]: its length */
    AZ_OP_GETHOSTBYNAME = 22, /* see struct az_hostent */
    AZ_OP_GETSOCKNAME = 23,
    AZ_OP_SOCKET = 24,
    AZ_OP_BIND = 25,
    AZ_OP_LISTEN = 26,
    AZ_OP_CONNECT = 27,
    AZ_OP_ACCEPT = 28,
    /* What real programs also need. */
    AZ_OP_PREAD64 = 29,
    AZ_OP_PWRITE64 = 30,
    AZ_OP_READV = 31,
    AZ_OP_WRITEV = 32,
    AZ_OP_GETDENTS64 = 33,
    AZ_OP_NEWFSTATAT = 34,
    AZ_OP_FCNTL = 35,       /* F_GETFL/SETFL, F_GETFD/SETFD, F_DUPFD(_CLOEXEC), F_GETLK/SETLK/SETLKW */
    AZ_OP_FSYNC = 36,
    AZ_OP_FDATASYNC = 37,
    AZ_OP_FTRUNCATE = 38,
    AZ_OP_RENAME = 39,
    AZ_OP_RENAMEAT2 = 40,   /* renameat is renameat2 with flags 0 */
    AZ_OP_RMDIR = 41,
    AZ_OP_SYMLINK = 42,
    AZ_OP_CHMOD = 43,
    AZ_OP_FCHMOD = 44,
    AZ_OP_CHOWN = 45,
    AZ_OP_FCHOWN = 46,
    AZ_OP_LCHOWN = 47,
    AZ_OP_UTIMENSAT = 48,
    AZ_OP_UNLINKAT = 49,
    AZ_OP_MKDIRAT = 50,
    AZ_OP_DUP = 51,
    AZ_OP_DUP2 = 52,
    AZ_OP_DUP3 = 53,
    AZ_OP_SENDFILE = 54,
    AZ_OP_UMASK = 55,
    AZ_OP_STATFS = 56,
    AZ_OP_FSTATFS = 57,
    AZ_OP_POLL = 58,
    AZ_OP_SENDTO = 59,      /* send is sendto with no address */
    AZ_OP_RECVFROM = 60,    /* recv is recvfrom with no address */
    AZ_OP_SENDMSG = 61,     /* no ancillary data */
    AZ_OP_RECVMSG = 62,     /* no ancillary data */
    AZ_OP_SHUTDOWN = 63,
    AZ_OP_SETSOCKOPT = 64,  /* only options whose value holds no pointer */
    AZ_OP_GETSOCKOPT = 65,
    AZ_OP_GETPEERNAME = 66,
    AZ_OP_ACCEPT4 = 67,
    AZ_OP_FACCESSAT = 68,
    AZ_OP_READLINKAT = 69,
    AZ_OP_SYMLINKAT = 70,
    AZ_OP_LINKAT = 71,
    AZ_OP_FCHMODAT = 72,
    AZ_OP_FCHOWNAT = 73,
    AZ_OP_FCHDIR = 74,
    AZ_OP_TRUNCATE = 75,
    AZ_OP_PPOLL = 76,       /* args[2]: timespec or 0; no signal mask */
    AZ_OP__LAST = 77        /* one past the last opcode */
};

/* Pin every layout: the Java bindings are tested against the same numbers. */
_Static_assert(sizeof(struct az_region) == 256, "az_region size");
_Static_assert(offsetof(struct az_region, magic) == 0, "az_region.magic");
_Static_assert(offsetof(struct az_region, abi_version) == 8, "az_region.abi_version");
_Static_assert(offsetof(struct az_region, features) == 12, "az_region.features");
_Static_assert(offsetof(struct az_region, nchannels) == 16, "az_region.nchannels");
_Static_assert(offsetof(struct az_region, ring_entries) == 20, "az_region.ring_entries");
_Static_assert(offsetof(struct az_region, region_gpa) == 24, "az_region.region_gpa");
_Static_assert(offsetof(struct az_region, region_size) == 32, "az_region.region_size");
_Static_assert(offsetof(struct az_region, channel_offset) == 40, "az_region.channel_offset");
_Static_assert(offsetof(struct az_region, channel_stride) == 48, "az_region.channel_stride");
_Static_assert(offsetof(struct az_region, poll_interval_us) == 56, "az_region.poll_interval_us");
_Static_assert(offsetof(struct az_region, host_state) == 60, "az_region.host_state");
_Static_assert(offsetof(struct az_region, reserved0) == 64, "az_region.reserved0");
_Static_assert(offsetof(struct az_region, doorbell) == 128, "az_region.doorbell");
_Static_assert(offsetof(struct az_region, reserved1) == 132, "az_region.reserved1");

_Static_assert(sizeof(struct az_channel) == 512, "az_channel size");
_Static_assert(offsetof(struct az_channel, sq_tail) == 0, "az_channel.sq_tail");
_Static_assert(offsetof(struct az_channel, sq_head) == 128, "az_channel.sq_head");
_Static_assert(offsetof(struct az_channel, flags) == 132, "az_channel.flags");
_Static_assert(offsetof(struct az_channel, cq_tail) == 256, "az_channel.cq_tail");
_Static_assert(offsetof(struct az_channel, cq_head) == 384, "az_channel.cq_head");

_Static_assert(sizeof(struct az_sqe) == 64, "az_sqe size");
_Static_assert(offsetof(struct az_sqe, seq) == 0, "az_sqe.seq");
_Static_assert(offsetof(struct az_sqe, opcode) == 4, "az_sqe.opcode");
_Static_assert(offsetof(struct az_sqe, flags) == 6, "az_sqe.flags");
_Static_assert(offsetof(struct az_sqe, id) == 8, "az_sqe.id");
_Static_assert(offsetof(struct az_sqe, args) == 16, "az_sqe.args");

_Static_assert(sizeof(struct az_cqe) == 32, "az_cqe size");
_Static_assert(offsetof(struct az_cqe, id) == 0, "az_cqe.id");
_Static_assert(offsetof(struct az_cqe, result) == 8, "az_cqe.result");
_Static_assert(offsetof(struct az_cqe, seq) == 16, "az_cqe.seq");
_Static_assert(offsetof(struct az_cqe, flags) == 20, "az_cqe.flags");
_Static_assert(offsetof(struct az_cqe, reserved) == 24, "az_cqe.reserved");

_Static_assert(sizeof(struct az_hostent) == 296, "az_hostent size");
_Static_assert(offsetof(struct az_hostent, count) == 0, "az_hostent.count");
_Static_assert(offsetof(struct az_hostent, family) == 8, "az_hostent.family");
_Static_assert(offsetof(struct az_hostent, addr) == 40, "az_hostent.addr");

#endif /* AZALEA_ABI_H */
