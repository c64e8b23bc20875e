package org.azalea.proxy;

/**
 * One submission, copied out of shared memory exactly once.  Handlers only
 * ever see this copy, so a guest that rewrites its ring entry while the
 * request is served changes nothing.  Arguments are the Linux system call's,
 * pointers being guest-physical addresses.
 */
public record Request(long id, int opcode, int flags, long a0, long a1, long a2, long a3, long a4, long a5) {
    public long arg(int i) {
        return switch (i) {
            case 0 -> a0;
            case 1 -> a1;
            case 2 -> a2;
            case 3 -> a3;
            case 4 -> a4;
            case 5 -> a5;
            default -> throw new IndexOutOfBoundsException(i);
        };
    }
}
