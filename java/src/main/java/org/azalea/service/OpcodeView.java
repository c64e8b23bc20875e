package org.azalea.service;

/**
 * One opcode's offload statistics for one instance: requests served, how many
 * failed with -errno, bytes moved (data opcodes), and host-side service latency percentiles (ns).
 */
public record OpcodeView(
        String name,
        long count,
        long errors,
        long bytes,
        long p50Nanos,
        long p99Nanos,
        long maxNanos,
        long meanNanos) {}
