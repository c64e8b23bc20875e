package org.azalea.proxy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import org.azalea.abi.abi_h;

/**
 * Opcode names for logs and statistics ("read", "pread64", ...), derived from
 * the AZ_OP_* constants of {@link abi_h}: no name list is typed twice.
 */
public final class Opcodes {
    private Opcodes() {}

    private static final String PREFIX = "AZ_OP_";
    /** One past the last opcode: AZ_OP__LAST. */
    public static final int LAST = abi_h.AZ_OP__LAST();

    private static final String[] NAMES = names();

    private static String[] names() {
        String[] names = new String[LAST];
        for (Method m : abi_h.class.getMethods()) {
            String name = m.getName();
            if (!name.startsWith(PREFIX)
                    || name.equals("AZ_OP__LAST")
                    || !Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 0) {
                continue;
            }
            try {
                int opcode = (int) m.invoke(null);
                names[opcode] = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        return names; // numbers abi.h leaves unassigned stay null
    }

    /** The opcode's name without the AZ_OP_ prefix, lower case; "unknown(N)" outside the table. */
    public static String name(int opcode) {
        return isKnown(opcode) ? NAMES[opcode] : "unknown(" + opcode + ")";
    }

    /** True for the opcodes the ABI defines. */
    public static boolean isKnown(int opcode) {
        return opcode >= 0 && opcode < LAST && NAMES[opcode] != null;
    }
}
