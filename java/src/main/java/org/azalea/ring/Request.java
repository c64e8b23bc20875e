package org.azalea.ring;

/**
 * One submission, copied out of shared memory exactly once.  Handlers only
 * ever see this copy, so a guest that rewrites its ring entry while the
 * request is served changes nothing.  Arguments are the Linux system call's,
 * pointers being guest-physical addresses.
 */
public record Request(long id, int opcode, int flags, long a0, long a1, long a2, long a3, long a4, long a5) {}
