package org.azalea.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docs/syscalls.md is what scripts/syscall-table.py makes of the committed
 * kernel (its syscall tables) and Linux's numbers: a system call added to or
 * moved in the kernel without `make syscall-table` fails here.
 */
class SyscallTableUpToDateTest {
    @Test
    void theCompatibilityTableIsTheKernelsOwn() throws Exception {
        Process p = new ProcessBuilder(List.of(
                        "python3",
                        GenBindings.repo().resolve("scripts/syscall-table.py").toString(),
                        "--check"))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "syscall-table.py timed out");
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void theTableSaysWhatTheKernelDoesWithTheCallsOfIssue12() throws Exception {
        String doc = Files.readString(GenBindings.repo().resolve("docs/syscalls.md"));
        for (String row : List.of(
                "| 22 | `pipe` | offloaded (`AZ_OP_PIPE2`) |",
                "| 232 | `epoll_wait` | offloaded (`AZ_OP_EPOLL_PWAIT`) |",
                "| 23 | `select` | offloaded (`AZ_OP_SELECT`) |",
                "| 57 | `fork` | refused: ENOSYS |",
                "| 59 | `execve` | refused: ENOSYS |",
                "| 202 | `futex` | served in the instance |")) {
            assertTrue(doc.contains(row), "docs/syscalls.md has " + row);
        }
    }
}
