package org.azalea.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of {@code bin/azalea}. */
interface Command {
    String name();

    /** One line for the command list. */
    String summary();

    /** The full help text: usage and every option. */
    String help();

    /**
     * Runs the command; returns the process exit status.
     *
     * @throws UsageException for bad arguments (printed as one line, exit status 2)
     */
    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
