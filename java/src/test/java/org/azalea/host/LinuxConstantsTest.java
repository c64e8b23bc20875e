package org.azalea.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every number in {@link Linux}, {@link LinuxNet} and {@link LinuxLayouts} against
 * what the host's C headers say: a C program generated from the Java field
 * names prints each value, and any difference fails.
 */
class LinuxConstantsTest {
    /** Java names whose C spelling differs. */
    private static final Map<String, String> C_EXPRESSION = Map.ofEntries(
            Map.entry("SYS_OPENAT2", "__NR_openat2"),
            Map.entry("SYS_FUTEX", "__NR_futex"),
            Map.entry("S_IALLUGO", "(S_ISUID | S_ISGID | S_ISVTX | S_IRWXU | S_IRWXG | S_IRWXO)"),
            Map.entry("SOCKADDR_IN_SIZE", "sizeof(struct sockaddr_in)"),
            Map.entry("SOCKADDR_IN6_SIZE", "sizeof(struct sockaddr_in6)"),
            Map.entry("SOCKADDR_UN_SIZE", "sizeof(struct sockaddr_un)"),
            Map.entry("SUN_PATH_OFFSET", "offsetof(struct sockaddr_un, sun_path)"),
            Map.entry("STAT_SIZE", "sizeof(struct stat)"),
            Map.entry("STAT_INO", "offsetof(struct stat, st_ino)"),
            Map.entry("STAT_ST_SIZE", "offsetof(struct stat, st_size)"),
            Map.entry("STAT_NLINK", "offsetof(struct stat, st_nlink)"),
            Map.entry("STAT_MODE", "offsetof(struct stat, st_mode)"),
            Map.entry("STAT_BLKSIZE", "offsetof(struct stat, st_blksize)"),
            Map.entry("STATFS_SIZE", "sizeof(struct statfs)"),
            Map.entry("UTSNAME_FIELD", "sizeof(((struct utsname *) 0)->sysname)"),
            Map.entry("UTSNAME_SIZE", "sizeof(struct utsname)"),
            Map.entry("KERNEL_TERMIOS_SIZE", "sizeof(struct termios)"),
            Map.entry("WINSIZE_SIZE", "sizeof(struct winsize)"),
            Map.entry("SOCKADDR_STORAGE_SIZE", "sizeof(struct sockaddr_storage)"),
            Map.entry("LOFF_SIZE", "sizeof(loff_t)"),
            Map.entry("IOV_BASE", "offsetof(struct iovec, iov_base)"),
            Map.entry("IOV_LEN", "offsetof(struct iovec, iov_len)"),
            Map.entry("POLLFD_FD", "offsetof(struct pollfd, fd)"),
            Map.entry("POLLFD_EVENTS", "offsetof(struct pollfd, events)"),
            Map.entry("POLLFD_REVENTS", "offsetof(struct pollfd, revents)"),
            Map.entry("TV_SEC", "offsetof(struct timespec, tv_sec)"),
            Map.entry("TV_NSEC", "offsetof(struct timespec, tv_nsec)"),
            Map.entry("TV_USEC", "offsetof(struct timeval, tv_usec)"),
            Map.entry("FLOCK_TYPE", "offsetof(struct flock, l_type)"),
            Map.entry("FLOCK_PID", "offsetof(struct flock, l_pid)"),
            Map.entry("FLOCK_START", "offsetof(struct flock, l_start)"),
            Map.entry("FLOCK_LEN", "offsetof(struct flock, l_len)"),
            Map.entry("HOW_FLAGS", "offsetof(struct open_how, flags)"),
            Map.entry("HOW_MODE", "offsetof(struct open_how, mode)"),
            Map.entry("HOW_RESOLVE", "offsetof(struct open_how, resolve)"),
            Map.entry("MSG_NAME", "offsetof(struct msghdr, msg_name)"),
            Map.entry("MSG_NAMELEN", "offsetof(struct msghdr, msg_namelen)"),
            Map.entry("MSG_IOV", "offsetof(struct msghdr, msg_iov)"),
            Map.entry("MSG_IOVLEN", "offsetof(struct msghdr, msg_iovlen)"),
            Map.entry("MSG_CONTROL", "offsetof(struct msghdr, msg_control)"),
            Map.entry("MSG_CONTROLLEN", "offsetof(struct msghdr, msg_controllen)"),
            Map.entry("MSG_FLAGS", "offsetof(struct msghdr, msg_flags)"),
            Map.entry("EPOLL_EVENT_SIZE", "sizeof(struct epoll_event)"),
            Map.entry("ITIMERSPEC_SIZE", "sizeof(struct itimerspec)"));

    /** Java-only: O_LARGEFILE is the kernel's (glibc says 0 on x86-64); the type mask is the kernel's too. */
    private static final Set<String> JAVA_ONLY = Set.of("O_LARGEFILE", "SOCK_TYPE_MASK");

    /** Layout sizes checked by name: the StructLayouts themselves. */
    private static final Map<String, String> LAYOUT_SIZES = Map.of(
            "IOVEC",
            "sizeof(struct iovec)",
            "POLLFD",
            "sizeof(struct pollfd)",
            "TIMESPEC",
            "sizeof(struct timespec)",
            "TIMEVAL",
            "sizeof(struct timeval)",
            "FLOCK",
            "sizeof(struct flock)",
            "OPEN_HOW",
            "sizeof(struct open_how)",
            "MSGHDR",
            "sizeof(struct msghdr)",
            "STAT",
            "sizeof(struct stat)");

    private static final String HEADERS = """
            #define _GNU_SOURCE
            #include <stddef.h>
            #include <stdio.h>
            #include <limits.h>
            #include <fcntl.h>
            #include <poll.h>
            #include <unistd.h>
            #include <sys/epoll.h>
            #include <sys/eventfd.h>
            #include <sys/timerfd.h>
            #include <time.h>
            #include <sys/ioctl.h>
            #include <sys/socket.h>
            #include <sys/stat.h>
            #include <sys/statfs.h>
            #include <sys/syscall.h>
            #include <sys/uio.h>
            #include <sys/un.h>
            #include <sys/utsname.h>
            #include <netinet/in.h>
            #include <netinet/tcp.h>
            #include <linux/openat2.h>
            #include <linux/futex.h>
            #include <linux/falloc.h>
            #include <asm/termbits.h>
            """;

    @TempDir
    Path dir;

    @Test
    void javaNumbersMatchTheCHeaders() throws Exception {
        Map<String, Long> java = new LinkedHashMap<>();
        Map<String, String> c = new LinkedHashMap<>();
        for (Class<?> k : List.of(Linux.class, LinuxNet.class, LinuxLayouts.class)) {
            for (Field f : k.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || JAVA_ONLY.contains(f.getName())) continue;
                String key = k.getSimpleName() + "." + f.getName();
                Object v = f.get(null);
                if (v instanceof Number n) {
                    java.put(key, n.longValue());
                    c.put(key, C_EXPRESSION.getOrDefault(f.getName(), f.getName()));
                } else if (v instanceof java.lang.foreign.MemoryLayout l && LAYOUT_SIZES.containsKey(f.getName())) {
                    java.put(key + ".byteSize", l.byteSize());
                    c.put(key + ".byteSize", LAYOUT_SIZES.get(f.getName()));
                }
            }
        }
        Map<String, Long> fromC = runC(c);
        for (var e : java.entrySet()) {
            assertEquals(fromC.get(e.getKey()), e.getValue(), e.getKey() + " (C: " + c.get(e.getKey()) + ")");
        }
        assertEquals(java.keySet(), fromC.keySet());
    }

    private Map<String, Long> runC(Map<String, String> expressions) throws IOException, InterruptedException {
        StringBuilder src = new StringBuilder(HEADERS).append("int main(void) {\n");
        expressions.forEach((k, e) -> src.append("    printf(\"%s %lld\\n\", \"")
                .append(k)
                .append("\", (long long) (")
                .append(e)
                .append("));\n"));
        src.append("    return 0;\n}\n");
        Path cFile = Files.writeString(dir.resolve("constants.c"), src);
        Path exe = dir.resolve("constants");
        Process cc;
        try {
            cc = new ProcessBuilder("gcc", "-o", exe.toString(), cFile.toString())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("no C compiler: " + e.getMessage());
            throw e;
        }
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), "gcc failed:\n" + ccOut);
        Process run = new ProcessBuilder(exe.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        run.waitFor(10, TimeUnit.SECONDS);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] kv = line.split(" ");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return values;
    }
}
