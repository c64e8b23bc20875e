package org.azalea.cli;

/** Bad command-line input: printed as one line, exit status 2, before anything boots. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}
