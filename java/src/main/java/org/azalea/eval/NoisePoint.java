package org.azalea.eval;

/** The noise probe on one system and accelerator mode ("tcg", "icount"; "host" natively). */
record NoisePoint(String system, String mode, NoiseResult result, double loadAverage, String error) {}
