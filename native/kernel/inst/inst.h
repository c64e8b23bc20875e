/*
 * inst.h -- the instance kernel's state, shared by the files of inst/.
 * struct instance lives in the instance's own partition: instances share
 * no mutable state with each other or with the node.
 */
#ifndef KERNEL_INST_H
#define KERNEL_INST_H

#include <stdint.h>

#include "az_client.h"
#include "azalea/abi.h"
#include "inst/vm.h"
#include "inst/vma.h"

#define NSIG 64
#define DEFAULT_STACK_SIZE (8ull << 20)
#define MAX_SYSCALL 512
#define MSG_MAX AZ_NODE_MESSAGE_MAX

struct k_sigaction {
    uint64_t handler, flags, restorer, mask;
};

/* Per core of the instance: its offload channel and bounce space for the
 * calls whose arguments hold pointers (iovec arrays, msghdr). */
struct inst_cpu {
    struct az_chan chan;
    int chan_open;
    uint32_t reserved;
    uint64_t iov_bounce[2 * AZ_IOV_MAX];
    uint64_t msg_bounce[8];
};

struct instance {
    /* From the boot descriptor, checked. */
    uint64_t id;
    struct az_boot *boot;      /* the live descriptor (identity mapped), for status */
    uint32_t flags;
    uint32_t ncpus;
    uint32_t cpus[AZ_BOOT_MAX_CPUS];
    uint64_t mem_lo, mem_hi;
    uint64_t region_gpa, region_size;
    uint16_t kick_port;     /* copied once from the region: AZ_FEATURE_PORT_KICK */
    uint8_t kick_value;
    uint8_t can_kick;
    uint64_t elf_gpa, elf_size;
    uint64_t strings_gpa, strings_size;
    uint32_t argc, envc;
    uint64_t stack_size;

    /* Clocks: realtime = realtime_base_ns + ns since tsc_base. */
    uint64_t realtime_base_ns;
    uint64_t tsc_base;

    /* Memory. */
    struct vm vm;
    uint64_t brk_start, brk_cur, brk_end;
    int64_t brk_pa_off;
    uint64_t mmap_top;         /* mmap places ranges below this (the stack guard) */

    /* The program. */
    uint64_t entry, phdr, phnum, phent;
    uint64_t tsc_entry;        /* TSC at the program's first instruction */
    uint64_t tid_address;
    uint64_t robust_list, robust_len;
    uint64_t sigmask;
    struct k_sigaction sigact[NSIG];
    char comm[16];
    uint64_t unknown_logged[MAX_SYSCALL / 64];
    uint64_t rng[2];

    /* Offload. */
    int have_client;
    struct az_client client;
    struct inst_cpu *icpu;     /* ncpus entries */

    struct vma_map map;        /* last: large */
};

/* mm.c: memory of the instance. */
/* Kernel memory from the partition's bottom, mapped read-write: 0 if none. */
uint64_t mm_alloc_kernel(struct instance *in, uint64_t size);
/* Keeps enough page-table pages in the pool for changing `len` bytes. */
int mm_reserve_tables(struct instance *in, uint64_t len);
/* Maps the VMAs intersecting [start, end) as their prot says. */
int mm_apply(struct instance *in, uint64_t start, uint64_t end);
/* Unmaps [va, va+len) from the page tables (the VMAs are the caller's). */
int mm_unmap(struct instance *in, uint64_t va, uint64_t len);
/* Zeroes [va, va+len) of USER ranges through their physical addresses. */
void mm_zero(struct instance *in, uint64_t va, uint64_t len);

/* elf.c */
int elf_load(struct instance *in, char *msg);
/* stack.c: the initial process stack; its %rsp, or 0 with msg set. */
uint64_t stack_build(struct instance *in, char *msg, int *err);

/* uaccess.c: program pointers, checked against the VMAs. */
int user_ok(struct instance *in, uint64_t va, uint64_t len, uint32_t prot);
int user_gpa(struct instance *in, uint64_t va, uint64_t len, uint32_t prot, uint64_t *gpa);
int user_strlen(struct instance *in, uint64_t va, uint64_t max, uint64_t *len);
int copy_to_user(struct instance *in, uint64_t va, const void *src, uint64_t len);
int copy_from_user(struct instance *in, void *dst, uint64_t va, uint64_t len);

/* instance.c */
struct inst_cpu *this_icpu(struct instance *in);
/* Ends the instance from the core running it; the core parks. */
__attribute__((noreturn)) void instance_end(struct instance *in, uint32_t state, int32_t status, const char *msg);
/* A pending STOP in this core's mailbox ends the instance (called while spinning). */
void instance_poll_mailbox(struct instance *in);
void random_bytes(struct instance *in, void *buf, uint64_t len);

/* syscall.c */
struct syscall_frame {
    uint64_t r15, r14, r13, r12, rbp, rbx;
    uint64_t rdi, rsi, rdx, r10, r8, r9;
    uint64_t nr;
    uint64_t rip, rflags, rsp;
};
_Static_assert(__builtin_offsetof(struct syscall_frame, r9) == __builtin_offsetof(struct syscall_frame, rdi) + 40,
               "the six arguments are consecutive");
int64_t syscall_dispatch(struct syscall_frame *f);

#endif
