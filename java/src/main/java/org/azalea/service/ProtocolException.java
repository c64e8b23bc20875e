package org.azalea.service;

import java.io.IOException;

/** The other side broke the control protocol: a malformed frame or payload, or a frame out of place. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
