package org.azalea.service;

import java.io.IOException;

/**
 * A request the node refused or could not carry out, with the protocol's
 * error code and a one-line message for a user.  The local API throws the
 * same, so callers handle both kinds of node alike.
 */
public final class ServiceException extends IOException {
    private final Protocol.ErrorCode code;

    public ServiceException(Protocol.ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public Protocol.ErrorCode code() {
        return code;
    }
}
