package org.azalea.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Fig. 5 deployment: users and cores split among the unikernels
 * of quadrants 1-3 (fewer when there are fewer cores than quadrants), as
 * evenly as they go; each part numbers its users from its offset, so every
 * user keeps its seed and files whichever unikernel runs it.
 */
record Split(int quadrant, int users, int cores, int firstUser) {
    static List<Split> of(int users, int cores, int quadrants) {
        if (users < 1 || cores < 1 || quadrants < 1) throw new IllegalArgumentException("nothing to split");
        int parts = Math.min(quadrants, Math.min(cores, users));
        List<Split> out = new ArrayList<>();
        int firstUser = 0;
        for (int i = 0; i < parts; i++) {
            int u = users / parts + (i < users % parts ? 1 : 0);
            int c = cores / parts + (i < cores % parts ? 1 : 0);
            out.add(new Split(i + 1, u, c, firstUser));
            firstUser += u;
        }
        return out;
    }
}
