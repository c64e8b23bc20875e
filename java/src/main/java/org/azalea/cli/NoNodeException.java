package org.azalea.cli;

/** The command needs a running node service and there is none: one line, exit status 3. */
final class NoNodeException extends Exception {
    NoNodeException() {
        super("no node is running (start one with: azalea node start)");
    }
}
