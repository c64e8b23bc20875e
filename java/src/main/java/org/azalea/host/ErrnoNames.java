package org.azalea.host;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/** Symbolic names of the {@link Errno} constants, for log messages ("ENOENT" reads better than 2). */
public final class ErrnoNames {
    private ErrnoNames() {}

    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        for (Field f : Errno.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                try {
                    NAMES.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** "ENOENT", or "errno 123" for a number {@link Errno} does not name. */
    public static String of(int errno) {
        String name = NAMES.get(errno);
        return name != null ? name : "errno " + errno;
    }
}
