package org.azalea.cli;

import java.util.List;

/** A small cursor over command-line arguments: options first, then operands after the first non-option or "--". */
final class Options {
    private final List<String> args;
    private int i;

    Options(List<String> args) {
        this.args = args;
    }

    /** The next option name, or null at the first operand (consuming a "--" separator). */
    String nextOption() {
        if (i >= args.size()) return null;
        String a = args.get(i);
        if (a.equals("--")) {
            i++;
            return null;
        }
        if (!a.startsWith("-") || a.equals("-")) return null;
        i++;
        return a;
    }

    String value(String option) throws UsageException {
        if (i >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(i++);
    }

    int intValue(String option, int min, int max) throws UsageException {
        return parseInt(option, value(option), min, max);
    }

    /** {@code v}, the value given to {@code option}, as a number in [min, max]. */
    static int parseInt(String option, String v, int min, int max) throws UsageException {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new UsageException(option + " must be " + min + ".." + max + ", not " + n);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " needs a number, not '" + v + "'");
        }
    }

    List<String> rest() {
        return args.subList(i, args.size());
    }
}
