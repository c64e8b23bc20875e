package org.azalea.eval;

/**
 * What one task did on one system: its output (the program's stdout and
 * stderr), exit status, and the error that made it fail (null when it ran).
 * {@code loadAverage} is the host's one-minute load when it started.
 */
record Outcome(Task task, String system, String mode, int status, String output, String error, double loadAverage) {
    boolean ok() {
        return error == null && status == 0;
    }

    String failure() {
        return error != null ? error : "exit status " + status;
    }
}
