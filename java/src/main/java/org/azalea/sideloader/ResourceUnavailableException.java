package org.azalea.sideloader;

/** A partition request that cannot be met now; the message says what is free. */
public final class ResourceUnavailableException extends Exception {
    public ResourceUnavailableException(String message) {
        super(message);
    }
}
