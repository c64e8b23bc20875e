package org.azalea.node;

/** The node could not be booted or died; the message names why and where its log is. */
public final class NodeBootException extends Exception {
    public NodeBootException(String message) {
        super(message);
    }
}
