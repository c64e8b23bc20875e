package org.azalea;

/** The Azalea release string instances report (uname's release). */
public final class Version {
    public static final String STRING = "0.1.0";

    private Version() {}
}
