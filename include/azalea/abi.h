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
 * doorbell and wakes it: FUTEX_WAKE from a host process; from a guest, with
 * AZ_FEATURE_PORT_KICK, one `outb` of kick_value to kick_port, which QEMU
 * hands to the host (the only VM exit on the offload path, and only when
 * the proxy sleeps).
 * ---------------------------------------------------------------------------
 */
#ifndef AZALEA_ABI_H
#define AZALEA_ABI_H

#include <stddef.h>
#include <stdint.h>

/* "AZALEAOF" read as a little-endian uint64_t. */
#define AZ_REGION_MAGIC 0x464F41454C415A41ULL
#define AZ_ABI_VERSION 3

/* Feature bits in az_region.features (INIT). */
#define AZ_FEATURE_FUTEX_DOORBELL (1U << 0) /* host processes wake the proxy with FUTEX_WAKE */
#define AZ_FEATURE_TIMED_POLL (1U << 1)     /* a sleeping proxy re-polls every poll_interval_us */
#define AZ_FEATURE_PORT_KICK (1U << 2)      /* guests wake the proxy by writing kick_value to I/O port kick_port */

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

/* The region header: identity, geometry and the doorbell, at the region's base. */
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
    uint32_t kick_port;        /* INIT: with AZ_FEATURE_PORT_KICK, the I/O port a guest kicks */
    uint32_t kick_value;       /* INIT: the byte it writes there (names the region to the host) */
    uint64_t reserved0[7];
    /* Lines 2-3, a pair of its own: bumped by every producer that rings. */
    uint32_t doorbell;         /* IN: futex word the proxy sleeps on */
    uint32_t reserved1[31];
};

/* One channel's ring indices, each written by one side on a cache-line pair of its own. */
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
    AZ_OP_IOCTL = 20,       /* FIONBIO, FIONREAD, TCGETS, TIOCGWINSZ (args[2] a GPA), FIOCLEX/FIONCLEX */
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
    AZ_OP_PIPE2 = 77,       /* pipe is pipe2 with flags 0 */
    AZ_OP_EVENTFD2 = 78,    /* eventfd is eventfd2 with flags 0 */
    AZ_OP_SOCKETPAIR = 79,
    AZ_OP_EPOLL_CREATE1 = 80, /* epoll_create(size > 0) is epoll_create1(0) */
    AZ_OP_EPOLL_CTL = 81,   /* struct epoll_event: packed, 12 bytes; data passes through */
    AZ_OP_EPOLL_PWAIT = 82, /* epoll_wait is epoll_pwait with no mask; no signal mask */
    AZ_OP_SELECT = 83,      /* args[0..4] of pselect6; args[5]: 1 when args[4] is a timeval
                             * (select), 0 when a timespec (pselect6); no signal mask; the
                             * time left is written back */
    AZ_OP_TIMERFD_CREATE = 84,
    AZ_OP_TIMERFD_SETTIME = 85, /* args[4], args[5]: the instance's CLOCK_MONOTONIC and
                                 * CLOCK_REALTIME now (ns), for TFD_TIMER_ABSTIME values */
    AZ_OP_TIMERFD_GETTIME = 86,
    /* File mappings (native/kernel/inst/fmap.c): a host reference to a
     * mapped file that is no guest fd, so that the mapping outlives close(). */
    AZ_OP_FMAP_OPEN = 87,  /* args[0]: fd, args[1]: 1 to write back, args[2]: 32 bytes out: dev, ino, size, writable; result: handle */
    AZ_OP_FMAP_READ = 88,  /* args[0]: handle, args[1]: buf, args[2]: count, args[3]: offset; reads to count or end of file */
    AZ_OP_FMAP_WRITE = 89, /* args[0]: handle, args[1]: runs {buf, count, offset} (3 x u64 each), args[2]: how many (<= 64);
                             * writes each only below the file's current size (never extends it); result: bytes written */
    AZ_OP_FMAP_SYNC = 90,  /* args[0]: handle; fdatasync */
    AZ_OP_FMAP_CLOSE = 91, /* args[0]: handle */
    AZ_OP__LAST = 92        /* one past the last opcode */
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
_Static_assert(offsetof(struct az_region, kick_port) == 64, "az_region.kick_port");
_Static_assert(offsetof(struct az_region, kick_value) == 68, "az_region.kick_value");
_Static_assert(offsetof(struct az_region, reserved0) == 72, "az_region.reserved0");
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

/* ===========================================================================
 * The node: the Azalea node kernel on an emulated many-core machine, and how
 * the host starts unikernel instances on it.  (Appended for the node kernel;
 * the offload-channel definitions above are unchanged.)
 *
 * In this section IN means written by the node kernel (the guest) and read
 * by the host; OUT written by the host and read by the node; INIT written by
 * the host before it hands the structure to the node, read-only afterwards.
 *
 * Guest-physical memory, as the node kernel uses it:
 *   0 .. AZ_NODE_RESERVED_END      the node kernel's own (image, stacks,
 *                                  the node info block below)
 *   AZ_NODE_INFO_GPA               struct az_node_info (one page + arrays)
 *   AZ_NODE_INFO_GPA + AZ_NODE_MAILBOX_OFFSET
 *                                  struct az_core_mailbox[AZ_NODE_MAX_CPUS]
 *   az_node_info.ranges[]          memory the host may hand to instances
 *
 * Starting an instance (the host's side, step by step):
 *  1. Wait until az_node_info.state == AZ_NODE_READY (acquire), and check
 *     magic, abi_version and boot_nonce.
 *  2. Choose cores whose mailbox state is AZ_CORE_PARKED and whose ack_seq
 *     equals their cmd_seq, never monitor_cpu; and a partition: a 4 KiB
 *     aligned range of at least 2 MiB inside one entry of ranges[] (2 MiB
 *     alignment lets the kernel use large pages) that no running instance
 *     uses.
 *  3. Inside the partition, write: the program's ELF file; its argument and
 *     environment strings; a freshly formatted offload region (as above:
 *     4 KiB aligned, at least as many channels as cores, channel i serves
 *     cpus[i]; optional with AZ_BOOT_SERIAL_STDIO); and a 64-byte aligned
 *     struct az_boot whose status half is zero.  Never write code the guest
 *     will run: the kernel copies the ELF's segments itself (under TCG only
 *     guest stores invalidate QEMU's translations of the old contents).
 *  4. For every core of the instance: mailbox.arg = the az_boot's GPA,
 *     mailbox.cmd = AZ_CORE_CMD_START, then mailbox.cmd_seq + 1 (release).
 *     The node's monitor CPU notices within 1/AZ_NODE_MONITOR_HZ s and
 *     wakes the cores.  Each acknowledges (ack_seq = cmd_seq; result 0 or
 *     -errno, the reason in the node log) and turns BUSY.
 *  5. Watch az_boot.state (acquire): LOADING, RUNNING, then a final state
 *     (EXITED with exit_status, FAULTED with the fault fields, FAILED with
 *     error and message, KILLED).  Serve the offload region meanwhile.
 *  6. The partition and cores are free again once the state is final and
 *     every core's mailbox state is back to AZ_CORE_PARKED.  Never before:
 *     a core still BUSY may still write the partition.  One that stays
 *     BUSY is brought back with AZ_CORE_CMD_RESET to the monitor; if even
 *     that fails, the partition must never be reused (quarantined).
 *  To stop a running instance: AZ_CORE_CMD_STOP to its cpus[0] mailbox (a
 *  WAKE IPI, then an NMI, reaches a busy core).  STOP to another core of
 *  an instance releases that core alone.
 *
 * Programs run in ring 3: the az_boot, the offload region, the instance
 * kernel's own memory and the node's low 32 MiB are not theirs to read or
 * write, so the state in az_boot is the instance kernel's word.  The host
 * still checks every value it reads there.
 *
 * Memory the program sees: its partition, identity mapped (a pointer is its
 * GPA), except a non-PIE executable's segments and brk heap, which sit at
 * their link addresses below the partition and are backed by partition
 * memory.  The node kernel translates every pointer it offloads.
 * ---------------------------------------------------------------------------
 */

/* "AZALEAND" and "AZALEABD" read as little-endian uint64_t. */
#define AZ_NODE_MAGIC 0x444E41454C415A41ULL
#define AZ_BOOT_MAGIC 0x444241454C415A41ULL

#define AZ_NODE_INFO_GPA 0x01000000ULL     /* 16 MiB, in NUMA node 0 */
#define AZ_NODE_INFO_SIZE 0x00020000ULL    /* bytes reserved for info + mailboxes */
#define AZ_NODE_MAILBOX_OFFSET 0x00010000ULL
#define AZ_NODE_RESERVED_END 0x02000000ULL /* never in ranges[] */
#define AZ_NODE_MAX_CPUS 256
#define AZ_NODE_MAX_RANGES 64
#define AZ_NODE_MONITOR_HZ 1000            /* mailbox polls per second */
#define AZ_NODE_HEARTBEAT_HZ 2             /* pings per second to each BUSY core */
#define AZ_NODE_MESSAGE_MAX 128

/* az_node_info.state (IN). */
#define AZ_NODE_BOOTING 1
#define AZ_NODE_READY 2
#define AZ_NODE_PANIC 3

/* az_node_info.features (IN): what the CPUs offer programs. */
#define AZ_NODE_F_X2APIC (1U << 0)
#define AZ_NODE_F_RDRAND (1U << 1)
#define AZ_NODE_F_RDSEED (1U << 2)
#define AZ_NODE_F_XSAVE (1U << 3)
#define AZ_NODE_F_AVX (1U << 4)
#define AZ_NODE_F_FSGSBASE (1U << 5)
#define AZ_NODE_F_SRAT (1U << 6)           /* NUMA layout from ACPI SRAT */

/* az_node_cpu.flags (IN). */
#define AZ_CPU_ONLINE (1U << 0)            /* started and parked at least once */
#define AZ_CPU_MONITOR (1U << 1)           /* serves the mailboxes: never for instances */

struct az_node_cpu {
    uint32_t apic_id;   /* IN: local APIC id */
    uint32_t numa_node; /* IN: proximity domain (SRAT), 0 without one */
    uint32_t flags;     /* IN: AZ_CPU_* */
    uint32_t reserved;  /* IN: 0 */
};

struct az_node_range {
    uint64_t base;      /* IN: GPA, 4 KiB aligned */
    uint64_t size;      /* IN: bytes, a multiple of 4 KiB */
    uint32_t numa_node; /* IN: proximity domain */
    uint32_t reserved0; /* IN: 0 */
    uint64_t reserved1; /* IN: 0 */
};

struct az_node_info {
    uint64_t magic;            /* IN: AZ_NODE_MAGIC */
    uint32_t abi_version;      /* IN: AZ_ABI_VERSION */
    uint32_t state;            /* IN: AZ_NODE_*; READY is stored last (release) */
    uint32_t ncpus;            /* IN: entries in cpus[]; cpus[0] is the boot CPU */
    uint32_t nranges;          /* IN: entries in ranges[] */
    uint32_t nnuma;            /* IN: NUMA nodes */
    uint32_t monitor_cpu;      /* IN: index of the CPU serving the mailboxes */
    uint64_t tsc_hz;           /* IN: time-stamp counter rate, calibrated */
    uint64_t tsc_boot;         /* IN: TSC at the kernel's first instruction */
    uint64_t tsc_cpus_parked;  /* IN: TSC when the last CPU had parked */
    uint64_t tsc_ready;        /* IN: TSC when state became READY */
    uint64_t mailbox_gpa;      /* IN: GPA of the mailbox of CPU 0 */
    uint32_t mailbox_stride;   /* IN: bytes from one mailbox to the next */
    uint32_t features;         /* IN: AZ_NODE_F_* */
    uint64_t boot_nonce;       /* IN: "azalea.nonce=N" of the kernel command line, else 0 */
    uint64_t reserved0[6];     /* IN: 0 */
    char panic_message[AZ_NODE_MESSAGE_MAX]; /* IN: NUL-terminated, when state is PANIC */
    uint8_t reserved1[3832];   /* IN: 0; pads the header to 4 KiB */
    struct az_node_cpu cpus[AZ_NODE_MAX_CPUS];       /* IN */
    struct az_node_range ranges[AZ_NODE_MAX_RANGES]; /* IN */
};

/* az_core_mailbox.cmd (OUT). */
#define AZ_CORE_CMD_NONE 0
#define AZ_CORE_CMD_START 1 /* arg: GPA of a struct az_boot naming this core */
#define AZ_CORE_CMD_STOP 2  /* to an instance's cpus[0]: end it as KILLED */
/* To the monitor_cpu's mailbox only: arg = the node CPU index of a core to
 * bring back to PARKED whatever it runs: an NMI first (a core in program
 * code leaves its instance), then, if it is still not parked after
 * AZ_NODE_RESET_NMI_MS, INIT-SIPI (the core restarts from the AP
 * trampoline and parks).  result: 0 once it is PARKED, -ETIMEDOUT if it is
 * not within AZ_NODE_RESET_INIT_MS more, -EINVAL for the monitor itself or
 * an index out of range.  The partition the core served is the host's to
 * reclaim only after a 0. */
#define AZ_CORE_CMD_RESET 3
#define AZ_NODE_RESET_NMI_MS 20
#define AZ_NODE_RESET_INIT_MS 500

/* az_core_mailbox.state (IN). */
#define AZ_CORE_OFFLINE 0 /* never started */
#define AZ_CORE_PARKED 1  /* idle, waiting for a command */
#define AZ_CORE_BUSY 2    /* serving the instance at instance_gpa */

/* One per CPU, at mailbox_gpa + index * mailbox_stride. */
struct az_core_mailbox {
    /* Lines 0-1: the host's. */
    uint32_t cmd_seq;        /* OUT: bumped (release) after cmd and arg are written */
    uint32_t cmd;            /* OUT: AZ_CORE_CMD_* */
    uint64_t arg;            /* OUT: the command's argument */
    uint64_t reserved_host[14];
    /* Lines 2-3: the core's. */
    uint32_t ack_seq;        /* IN: the last cmd_seq taken, stored (release) after result */
    int32_t result;          /* IN: 0, or -errno: why that command was refused */
    uint32_t state;          /* IN: AZ_CORE_* */
    uint32_t reserved0;      /* IN: 0 */
    uint64_t instance_gpa;   /* IN: the az_boot this core serves, 0 when parked */
    uint64_t heartbeat;      /* IN: bumped by a BUSY core each time the monitor pings it
                              *     (AZ_NODE_HEARTBEAT_HZ); a core stuck with interrupts
                              *     off, or in a kernel deadlock, stops bumping it */
    uint64_t reserved_core[12];
};

/* Boot descriptor flags (INIT). */
#define AZ_BOOT_SERIAL_STDIO (1U << 0) /* writes to fds 1 and 2 go to the node's serial log */

/* az_boot.state (IN).  EXITED and beyond are final. */
#define AZ_INSTANCE_NEW 0     /* as the host wrote it */
#define AZ_INSTANCE_LOADING 1 /* cores taken, program being loaded */
#define AZ_INSTANCE_RUNNING 2 /* the program has started */
#define AZ_INSTANCE_EXITED 3  /* exit_status is valid */
#define AZ_INSTANCE_FAULTED 4 /* fault_* fields and message are valid */
#define AZ_INSTANCE_FAILED 5  /* never started: error and message are valid */
#define AZ_INSTANCE_KILLED 6  /* ended by AZ_CORE_CMD_STOP */

/* az_boot.fault_flags (IN). */
#define AZ_FAULT_IN_KERNEL (1U << 0) /* the kernel faulted while serving the program */

#define AZ_BOOT_MAX_CPUS 256

/* An instance's boot descriptor, in its partition, 64-byte aligned. */
struct az_boot {
    /* Lines 0-3: what to run, written by the host. */
    uint64_t magic;            /* INIT: AZ_BOOT_MAGIC */
    uint32_t abi_version;      /* INIT: AZ_ABI_VERSION */
    uint32_t flags;            /* INIT: AZ_BOOT_* */
    uint64_t instance_id;      /* INIT: the host's name for the instance, for logs */
    uint64_t mem_gpa;          /* INIT: partition base, 4 KiB aligned */
    uint64_t mem_size;         /* INIT: partition bytes, a multiple of 4 KiB */
    uint64_t region_gpa;       /* INIT: the offload region in the partition, 0 if none */
    uint64_t region_size;      /* INIT: its bytes */
    uint64_t elf_gpa;          /* INIT: the program's ELF file in the partition */
    uint64_t elf_size;         /* INIT: its bytes */
    uint64_t strings_gpa;      /* INIT: argc argument then envc environment strings,
                                *       each NUL-terminated, back to back */
    uint64_t strings_size;     /* INIT: their bytes */
    uint32_t argc;             /* INIT: >= 1 (argv[0] names the program) */
    uint32_t envc;             /* INIT */
    uint64_t stack_size;       /* INIT: main stack bytes, 0 for 8 MiB */
    uint64_t realtime_ns;      /* INIT: host CLOCK_REALTIME when written, 0 if unknown */
    uint32_t ncpus;            /* INIT: entries in cpus[], 1..AZ_BOOT_MAX_CPUS */
    uint32_t spin_cores;       /* INIT: most cores that may spin at once waiting
                                *       for the host's answers (the others halt
                                *       sooner): what the host's cpus allow; 0 or
                                *       more than ncpus: all of them */
    uint64_t reserved1[17];    /* INIT: 0 */
    /* Lines 4-7: how it went, written by the instance's first core. */
    uint32_t state;            /* IN: AZ_INSTANCE_*; stored (release) after the fields below */
    int32_t exit_status;       /* IN: EXITED: the exit_group argument (the process
                                *     status is its low 8 bits); 128 + N when
                                *     signal N's default action ended it.
                                *     FAULTED: 128 + N for the signal N whose
                                *     default action a fault in program code
                                *     takes (SIGSEGV, SIGILL, SIGTRAP, SIGFPE,
                                *     SIGBUS), 0 when the kernel faulted */
    int32_t error;             /* IN: FAILED: -errno */
    uint32_t fault_vector;     /* IN: FAULTED: the exception vector */
    uint32_t fault_cpu;        /* IN: FAULTED: the node CPU index */
    uint32_t fault_flags;      /* IN: FAULTED: AZ_FAULT_* */
    uint64_t fault_error_code; /* IN: FAULTED: the CPU's error code, 0 if none */
    uint64_t fault_address;    /* IN: FAULTED: CR2 for page faults, else 0 */
    uint64_t fault_rip;        /* IN: FAULTED: the faulting instruction */
    uint64_t fault_rsp;        /* IN: FAULTED: the stack pointer then */
    uint64_t tsc_start;        /* IN: TSC when the first core took START */
    uint64_t tsc_entry;        /* IN: TSC just before the program's first instruction */
    uint64_t tsc_end;          /* IN: TSC when the instance ended */
    char message[AZ_NODE_MESSAGE_MAX]; /* IN: a one-line reason, NUL-terminated */
    uint64_t short_spins;      /* IN: offloaded calls whose core found the spin
                                *     budget (spin_cores) taken and halted sooner;
                                *     counted as they happen */
    uint64_t reserved2[5];     /* IN: 0 */
    /* Lines 8+: the cores, written by the host. */
    uint32_t cpus[AZ_BOOT_MAX_CPUS]; /* INIT: node CPU indices; cpus[0] leads */
};

/*
 * System calls a program may make beyond Linux's (the `syscall` instruction,
 * number in %rax, arguments as Linux's).  Numbered far above Linux's own.
 */
#define AZ_SYS_BASE 0x4000
#define AZ_SYS_OFFLOAD_NOP 0x4000 /* one AZ_OP_NOP round trip on the calling core's channel: 0 or -errno */
/* The Azalea internal API (the paper's Table I); include/azalea/azalea.h
 * wraps them for C programs and documents each. */
#define AZ_SYS_GET_TICKS 0x4001          /* -> ticks (AZ_TICK_HZ a second) since the node booted */
#define AZ_SYS_BLOCK_CURRENT_TASK 0x4002 /* sleep until AZ_SYS_WAKEUP_TASK names this thread: 0 */
#define AZ_SYS_RESCHEDULE 0x4003         /* give the core to a ready thread of higher priority: 0 */
#define AZ_SYS_WAKEUP_TASK 0x4004        /* a0: tid: 0, or -ESRCH */
#define AZ_SYS_YIELD 0x4005              /* give the core to a ready thread of equal or higher priority: 0 */
#define AZ_SYS_SEM_INIT 0x4006           /* a0: semaphore address, a1: initial count: 0 or -errno */
#define AZ_SYS_SEM_DESTROY 0x4007        /* a0: semaphore: 0, -EBUSY while threads wait on it */
#define AZ_SYS_SEM_WAIT 0x4008           /* a0: semaphore: 0 */
#define AZ_SYS_SEM_POST 0x4009           /* a0: semaphore: 0 */
#define AZ_SYS_SEM_TIMEDWAIT 0x400A      /* a0: semaphore, a1: milliseconds (0: do not wait): 0, -ETIMEDOUT */
#define AZ_SYS_SEM_CANCELABLEWAIT 0x400B /* as TIMEDWAIT (a1 0: no limit), and -EINTR on a signal or WAKEUP_TASK */
#define AZ_SYS_MSLEEP 0x400C             /* a0: milliseconds: 0, or -EINTR (a signal) */
#define AZ_SYS_GETPRIO 0x400D            /* a0: tid (0: the caller) -> its priority, or -ESRCH */
#define AZ_SYS_SETPRIO 0x400E            /* a0: tid (0: the caller), a1: priority: 0, -ESRCH, -EINVAL */
#define AZ_SYS__LAST 0x400F              /* one past the last */

_Static_assert(sizeof(struct az_node_cpu) == 16, "az_node_cpu size");
_Static_assert(offsetof(struct az_node_cpu, apic_id) == 0, "az_node_cpu.apic_id");
_Static_assert(offsetof(struct az_node_cpu, numa_node) == 4, "az_node_cpu.numa_node");
_Static_assert(offsetof(struct az_node_cpu, flags) == 8, "az_node_cpu.flags");
_Static_assert(offsetof(struct az_node_cpu, reserved) == 12, "az_node_cpu.reserved");

_Static_assert(sizeof(struct az_node_range) == 32, "az_node_range size");
_Static_assert(offsetof(struct az_node_range, base) == 0, "az_node_range.base");
_Static_assert(offsetof(struct az_node_range, size) == 8, "az_node_range.size");
_Static_assert(offsetof(struct az_node_range, numa_node) == 16, "az_node_range.numa_node");
_Static_assert(offsetof(struct az_node_range, reserved0) == 20, "az_node_range.reserved0");
_Static_assert(offsetof(struct az_node_range, reserved1) == 24, "az_node_range.reserved1");

_Static_assert(sizeof(struct az_node_info) == 4096 + 16 * AZ_NODE_MAX_CPUS + 32 * AZ_NODE_MAX_RANGES,
               "az_node_info size");
_Static_assert(offsetof(struct az_node_info, magic) == 0, "az_node_info.magic");
_Static_assert(offsetof(struct az_node_info, abi_version) == 8, "az_node_info.abi_version");
_Static_assert(offsetof(struct az_node_info, state) == 12, "az_node_info.state");
_Static_assert(offsetof(struct az_node_info, ncpus) == 16, "az_node_info.ncpus");
_Static_assert(offsetof(struct az_node_info, nranges) == 20, "az_node_info.nranges");
_Static_assert(offsetof(struct az_node_info, nnuma) == 24, "az_node_info.nnuma");
_Static_assert(offsetof(struct az_node_info, monitor_cpu) == 28, "az_node_info.monitor_cpu");
_Static_assert(offsetof(struct az_node_info, tsc_hz) == 32, "az_node_info.tsc_hz");
_Static_assert(offsetof(struct az_node_info, tsc_boot) == 40, "az_node_info.tsc_boot");
_Static_assert(offsetof(struct az_node_info, tsc_cpus_parked) == 48, "az_node_info.tsc_cpus_parked");
_Static_assert(offsetof(struct az_node_info, tsc_ready) == 56, "az_node_info.tsc_ready");
_Static_assert(offsetof(struct az_node_info, mailbox_gpa) == 64, "az_node_info.mailbox_gpa");
_Static_assert(offsetof(struct az_node_info, mailbox_stride) == 72, "az_node_info.mailbox_stride");
_Static_assert(offsetof(struct az_node_info, features) == 76, "az_node_info.features");
_Static_assert(offsetof(struct az_node_info, boot_nonce) == 80, "az_node_info.boot_nonce");
_Static_assert(offsetof(struct az_node_info, reserved0) == 88, "az_node_info.reserved0");
_Static_assert(offsetof(struct az_node_info, panic_message) == 136, "az_node_info.panic_message");
_Static_assert(offsetof(struct az_node_info, reserved1) == 264, "az_node_info.reserved1");
_Static_assert(offsetof(struct az_node_info, cpus) == 4096, "az_node_info.cpus");
_Static_assert(offsetof(struct az_node_info, ranges) == 4096 + 16 * AZ_NODE_MAX_CPUS, "az_node_info.ranges");
_Static_assert(sizeof(struct az_node_info) <= AZ_NODE_MAILBOX_OFFSET, "az_node_info fits before the mailboxes");

_Static_assert(sizeof(struct az_core_mailbox) == 256, "az_core_mailbox size");
_Static_assert(offsetof(struct az_core_mailbox, cmd_seq) == 0, "az_core_mailbox.cmd_seq");
_Static_assert(offsetof(struct az_core_mailbox, cmd) == 4, "az_core_mailbox.cmd");
_Static_assert(offsetof(struct az_core_mailbox, arg) == 8, "az_core_mailbox.arg");
_Static_assert(offsetof(struct az_core_mailbox, reserved_host) == 16, "az_core_mailbox.reserved_host");
_Static_assert(offsetof(struct az_core_mailbox, ack_seq) == 128, "az_core_mailbox.ack_seq");
_Static_assert(offsetof(struct az_core_mailbox, result) == 132, "az_core_mailbox.result");
_Static_assert(offsetof(struct az_core_mailbox, state) == 136, "az_core_mailbox.state");
_Static_assert(offsetof(struct az_core_mailbox, reserved0) == 140, "az_core_mailbox.reserved0");
_Static_assert(offsetof(struct az_core_mailbox, instance_gpa) == 144, "az_core_mailbox.instance_gpa");
_Static_assert(offsetof(struct az_core_mailbox, heartbeat) == 152, "az_core_mailbox.heartbeat");
_Static_assert(offsetof(struct az_core_mailbox, reserved_core) == 160, "az_core_mailbox.reserved_core");
_Static_assert(AZ_NODE_MAILBOX_OFFSET + 256 * AZ_NODE_MAX_CPUS <= AZ_NODE_INFO_SIZE, "mailboxes fit");

_Static_assert(sizeof(struct az_boot) == 512 + 4 * AZ_BOOT_MAX_CPUS, "az_boot size");
_Static_assert(offsetof(struct az_boot, magic) == 0, "az_boot.magic");
_Static_assert(offsetof(struct az_boot, abi_version) == 8, "az_boot.abi_version");
_Static_assert(offsetof(struct az_boot, flags) == 12, "az_boot.flags");
_Static_assert(offsetof(struct az_boot, instance_id) == 16, "az_boot.instance_id");
_Static_assert(offsetof(struct az_boot, mem_gpa) == 24, "az_boot.mem_gpa");
_Static_assert(offsetof(struct az_boot, mem_size) == 32, "az_boot.mem_size");
_Static_assert(offsetof(struct az_boot, region_gpa) == 40, "az_boot.region_gpa");
_Static_assert(offsetof(struct az_boot, region_size) == 48, "az_boot.region_size");
_Static_assert(offsetof(struct az_boot, elf_gpa) == 56, "az_boot.elf_gpa");
_Static_assert(offsetof(struct az_boot, elf_size) == 64, "az_boot.elf_size");
_Static_assert(offsetof(struct az_boot, strings_gpa) == 72, "az_boot.strings_gpa");
_Static_assert(offsetof(struct az_boot, strings_size) == 80, "az_boot.strings_size");
_Static_assert(offsetof(struct az_boot, argc) == 88, "az_boot.argc");
_Static_assert(offsetof(struct az_boot, envc) == 92, "az_boot.envc");
_Static_assert(offsetof(struct az_boot, stack_size) == 96, "az_boot.stack_size");
_Static_assert(offsetof(struct az_boot, realtime_ns) == 104, "az_boot.realtime_ns");
_Static_assert(offsetof(struct az_boot, ncpus) == 112, "az_boot.ncpus");
_Static_assert(offsetof(struct az_boot, spin_cores) == 116, "az_boot.spin_cores");
_Static_assert(offsetof(struct az_boot, reserved1) == 120, "az_boot.reserved1");
_Static_assert(offsetof(struct az_boot, state) == 256, "az_boot.state");
_Static_assert(offsetof(struct az_boot, exit_status) == 260, "az_boot.exit_status");
_Static_assert(offsetof(struct az_boot, error) == 264, "az_boot.error");
_Static_assert(offsetof(struct az_boot, fault_vector) == 268, "az_boot.fault_vector");
_Static_assert(offsetof(struct az_boot, fault_cpu) == 272, "az_boot.fault_cpu");
_Static_assert(offsetof(struct az_boot, fault_flags) == 276, "az_boot.fault_flags");
_Static_assert(offsetof(struct az_boot, fault_error_code) == 280, "az_boot.fault_error_code");
_Static_assert(offsetof(struct az_boot, fault_address) == 288, "az_boot.fault_address");
_Static_assert(offsetof(struct az_boot, fault_rip) == 296, "az_boot.fault_rip");
_Static_assert(offsetof(struct az_boot, fault_rsp) == 304, "az_boot.fault_rsp");
_Static_assert(offsetof(struct az_boot, tsc_start) == 312, "az_boot.tsc_start");
_Static_assert(offsetof(struct az_boot, tsc_entry) == 320, "az_boot.tsc_entry");
_Static_assert(offsetof(struct az_boot, tsc_end) == 328, "az_boot.tsc_end");
_Static_assert(offsetof(struct az_boot, message) == 336, "az_boot.message");
_Static_assert(offsetof(struct az_boot, short_spins) == 464, "az_boot.short_spins");
_Static_assert(offsetof(struct az_boot, reserved2) == 472, "az_boot.reserved2");
_Static_assert(offsetof(struct az_boot, cpus) == 512, "az_boot.cpus");

#endif /* AZALEA_ABI_H */
