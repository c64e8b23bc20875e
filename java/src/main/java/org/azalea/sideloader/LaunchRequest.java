package org.azalea.sideloader;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.azalea.proxy.instance.NetPolicy;

/**
 * A program to run as an instance: the static ELF on the host, its arguments
 * and environment, the partition it needs, its file-system root, and where its
 * stdio goes (null streams: no input, output kept only in the instance's log),
 * and what network it may reach (null: {@link NetPolicy#DEFAULT}, loopback only).
 */
public record LaunchRequest(
        String name,
        Path program,
        List<String> args,
        List<String> env,
        PartitionRequest partition,
        Path root,
        InputStream stdin,
        OutputStream stdout,
        OutputStream stderr,
        NetPolicy net) {
    public LaunchRequest {
        args = List.copyOf(args);
        env = List.copyOf(env);
        if (net == null) net = NetPolicy.DEFAULT;
    }

    /** A request under the default network policy. */
    public LaunchRequest(
            String name,
            Path program,
            List<String> args,
            List<String> env,
            PartitionRequest partition,
            Path root,
            InputStream stdin,
            OutputStream stdout,
            OutputStream stderr) {
        this(name, program, args, env, partition, root, stdin, stdout, stderr, NetPolicy.DEFAULT);
    }

    /** This request under network policy {@code p}. */
    public LaunchRequest withNet(NetPolicy p) {
        return new LaunchRequest(name, program, args, env, partition, root, stdin, stdout, stderr, p);
    }

    /** A request with default environment, no stdin, output to the instance's log only. */
    public static LaunchRequest of(Path program, List<String> args, PartitionRequest partition, Path root) {
        return new LaunchRequest(
                program.getFileName().toString(),
                program,
                args,
                List.of("HOME=/", "PATH=/bin:/usr/bin"),
                partition,
                root,
                null,
                null,
                null);
    }
}
