package org.azalea.proxy.instance;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Who an instance says it is: uname's nodename and gethostname's answer
 * ({@code hostname}), and uname's release ({@code release}, the Azalea version).
 * Each fits a utsname field: at most 64 bytes in UTF-8, no NUL.
 */
public record InstanceIdentity(String hostname, String release) {
    /** Bytes of a utsname field without its NUL. */
    public static final int MAX_FIELD = 64;

    public InstanceIdentity {
        check("hostname", hostname);
        check("release", release);
    }

    private static void check(String what, String value) {
        if (value == null || value.isEmpty() || value.indexOf('\0') >= 0 || value.getBytes(UTF_8).length > MAX_FIELD) {
            throw new IllegalArgumentException(what + " must be 1.." + MAX_FIELD + " bytes without NUL: " + value);
        }
    }
}
