package org.azalea.eval;

/** One call's cost on one system: median ns per call over the repetitions, with min and max. */
record CallPoint(String system, String op, double ns, double nsMin, double nsMax, int reps, int calls) {}
