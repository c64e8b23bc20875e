/* monitor.h -- the boot CPU's job once the node is up: serve the mailboxes. */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

/*
 * Every 1/AZ_NODE_MONITOR_HZ s, looks for mailboxes whose cmd_seq moved
 * and sends their cores a WAKE IPI.  The host cannot interrupt a halted
 * vCPU through shared memory, and 71 cores polling their mailboxes would
 * burn the host's CPUs; one core ticking at 1 kHz costs little.
 */
__attribute__((noreturn)) void monitor_loop(void);

/*
 * Also pings every BUSY core AZ_NODE_HEARTBEAT_HZ times a second (VEC_PING,
 * maskable); the core's handler calls this to bump its mailbox's heartbeat.
 * A core with interrupts off, or spinning in the kernel, stops bumping it.
 */
void monitor_heartbeat_ack(void);

#endif
