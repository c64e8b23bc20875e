/* park.h -- where an idle core waits for its mailbox. */
#ifndef KERNEL_PARK_H
#define KERNEL_PARK_H

/*
 * Halts until woken, takes each new mailbox command, acknowledges it and,
 * for an accepted START, serves the instance.  Never returns; a core that
 * finishes serving an instance re-enters it on a fresh stack.
 */
__attribute__((noreturn)) void park_loop(void);
/* Shows the host this core as PARKED (its mailbox state; no instance). */
void park_publish_parked(void);
/* Abandons the current stack (an instance's end) and parks. */
__attribute__((noreturn)) void park_reset(void);

#endif
