/*
 * node.h -- the node info block and mailboxes at AZ_NODE_INFO_GPA, the
 * node's face towards the host (layouts in include/azalea/abi.h).
 */
#ifndef KERNEL_NODE_H
#define KERNEL_NODE_H

#include <stdint.h>

#include "azalea/abi.h"

extern struct az_node_info *node_info;

/* Clears the block and says BOOTING; first thing after the console. */
void node_info_init(uint64_t nonce);
struct az_core_mailbox *node_mailbox(uint32_t cpu_index);
/* Fills CPUs, memory ranges and clocks, then stores READY (release). */
void node_publish(void);
/* Logs CPUs per NUMA node and the memory ranges. */
void node_log_layout(void);
/* The node is broken: message and PANIC state for the host. */
void node_panic(const char *msg);
/* Whether [gpa, gpa + size) lies inside one published memory range. */
int node_range_usable(uint64_t gpa, uint64_t size);

#endif
