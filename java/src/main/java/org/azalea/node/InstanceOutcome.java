package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_INSTANCE_EXITED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_FAILED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_FAULTED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_KILLED;

/**
 * How an instance ended, as its boot descriptor reported it.
 *
 * @param exitStatus EXITED: the exit_group argument (the process status is its low 8 bits)
 */
public record InstanceOutcome(
        State state,
        int exitStatus,
        int error,
        int faultVector,
        int faultCpu,
        long faultAddress,
        long faultRip,
        long faultRsp,
        boolean faultInKernel,
        String message) {

    public enum State {
        EXITED,
        FAULTED,
        FAILED,
        KILLED,
        NODE_DOWN
    }

    static State fromAbi(int s) {
        if (s == AZ_INSTANCE_EXITED()) return State.EXITED;
        if (s == AZ_INSTANCE_FAULTED()) return State.FAULTED;
        if (s == AZ_INSTANCE_FAILED()) return State.FAILED;
        if (s == AZ_INSTANCE_KILLED()) return State.KILLED;
        return null;
    }

    /** The status a shell would see: the exit code, 128 + signal style for faults and kills. */
    public int processStatus() {
        return switch (state) {
            case EXITED -> exitStatus & 0xff;
            case FAULTED -> 128 + 11; // as a SIGSEGV would end a Linux process
            case KILLED -> 128 + 9;
            case FAILED, NODE_DOWN -> 127;
        };
    }

    /** One line for a user: why it ended. */
    public String describe() {
        return switch (state) {
            case EXITED -> "exited with status " + (exitStatus & 0xff);
            case FAULTED ->
                String.format(
                        "crashed: exception %d (%s) at rip 0x%x, address 0x%x, rsp 0x%x, cpu %d%s%s",
                        faultVector,
                        vectorName(faultVector),
                        faultRip,
                        faultAddress,
                        faultRsp,
                        faultCpu,
                        faultInKernel ? ", inside the kernel" : "",
                        message.isEmpty() ? "" : ": " + message);
            case FAILED -> "failed to start (errno " + -error + ")" + (message.isEmpty() ? "" : ": " + message);
            case KILLED -> "killed";
            case NODE_DOWN -> "the node went down" + (message.isEmpty() ? "" : ": " + message);
        };
    }

    static String vectorName(int v) {
        return switch (v) {
            case 0 -> "#DE divide error";
            case 3 -> "#BP breakpoint";
            case 6 -> "#UD invalid opcode";
            case 8 -> "#DF double fault";
            case 13 -> "#GP general protection";
            case 14 -> "#PF page fault";
            case 16 -> "#MF x87 error";
            case 17 -> "#AC alignment check";
            case 19 -> "#XM SIMD error";
            default -> "vector " + v;
        };
    }
}
