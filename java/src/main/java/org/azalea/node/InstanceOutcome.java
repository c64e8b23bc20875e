package org.azalea.node;

import static org.azalea.abi.abi_h.AZ_INSTANCE_EXITED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_FAILED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_FAULTED;
import static org.azalea.abi.abi_h.AZ_INSTANCE_KILLED;

/**
 * How an instance ended, as its boot descriptor reported it.  The instance
 * kernel writes the descriptor where its program cannot, but every value is
 * still checked before it is believed.
 *
 * @param exitStatus EXITED: the exit_group argument (the process status is its low 8 bits); FAULTED: 128 + the
 *     signal whose default action the fault in program code takes, 0 when the instance kernel faulted
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
            case FAULTED -> 128 + faultSignal();
            case KILLED -> 128 + 9;
            case FAILED, NODE_DOWN -> 127;
        };
    }

    /**
     * FAULTED: the signal that ended the program as Linux's default action
     * would (SIGSEGV, SIGILL, SIGTRAP, SIGFPE, SIGBUS); SIGSEGV for a fault in
     * the instance kernel or a value out of range.
     */
    public int faultSignal() {
        if (faultInKernel) return SIGSEGV;
        int sig = exitStatus - 128;
        return sig >= 1 && sig <= 64 ? sig : SIGSEGV;
    }

    private static final int SIGSEGV = 11;

    /** One line for a user: why it ended. */
    public String describe() {
        return switch (state) {
            case EXITED -> "exited with status " + (exitStatus & 0xff);
            case FAULTED ->
                String.format(
                        "crashed%s: exception %d (%s) at rip 0x%x, address 0x%x, rsp 0x%x, cpu %d%s%s",
                        faultInKernel ? "" : " (" + signalName(faultSignal()) + ")",
                        faultVector,
                        vectorName(faultVector),
                        faultRip,
                        faultAddress,
                        faultRsp,
                        faultCpu,
                        faultInKernel ? ", inside the instance kernel" : "",
                        message.isEmpty() ? "" : ": " + message);
            case FAILED -> "failed to start (errno " + -error + ")" + (message.isEmpty() ? "" : ": " + message);
            case KILLED -> "killed";
            case NODE_DOWN -> "the node went down" + (message.isEmpty() ? "" : ": " + message);
        };
    }

    static String signalName(int sig) {
        return switch (sig) {
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 7 -> "SIGBUS";
            case 8 -> "SIGFPE";
            case 11 -> "SIGSEGV";
            default -> "signal " + sig;
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
