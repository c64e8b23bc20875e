package org.azalea.sideloader;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A program to run as an instance: the static ELF on the host, its arguments
 * and environment, the partition it needs, its file-system root, and where its
 * stdio goes (null streams: no input, output kept only in the instance's log).
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
        OutputStream stderr) {
    public LaunchRequest {
        args = List.copyOf(args);
        env = List.copyOf(env);
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
