package dev.forecaster.model.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlignedFloatsTest {

    @Test
    void slicesAreZeroFilledInBoundsAndDisjoint() {
        List<AlignedFloats.Slice> slices = new ArrayList<>();
        for (int n : new int[] {1, 5, 16, 1000, 16_640, 0, 33}) {
            AlignedFloats.Slice s = AlignedFloats.allocate(n);
            assertEquals(n, s.length());
            assertTrue(s.offset() >= 0 && s.offset() + n <= s.array().length, s.toString());
            for (int i = 0; i < n; i++) {
                assertEquals(0f, s.array()[s.offset() + i]);
                s.array()[s.offset() + i] = slices.size() + 1;
            }
            slices.add(s);
        }
        // Every slice still holds what was written to it: none overlapped a later one.
        for (int k = 0; k < slices.size(); k++) {
            AlignedFloats.Slice s = slices.get(k);
            for (int i = 0; i < s.length(); i++) {
                assertEquals(k + 1, s.array()[s.offset() + i], "slice " + k + " element " + i);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> AlignedFloats.allocate(-1));
    }

    /**
     * The build runs its tests under G1 (root pom, {@code test.jvm.args}), so every kernel test in
     * this JVM steps weights cut from shared arenas at non-zero offsets, as production does.
     */
    @Test
    void theTestJvmRunsTheAlignedPath() {
        assertTrue(AlignedFloats.guaranteed(), AlignedFloats.describe());
        assertTrue(AlignedFloats.allocate(3).offset() > 0);
    }

    /**
     * Under G1 every slice's first element sits on a 64-byte boundary, and stays there through
     * collections that move ordinary objects: checked on real addresses in a child JVM.
     */
    @Test
    void underG1SlicesStartOnCacheLinesAndStayThereThroughGarbageCollections() throws Exception {
        String output = runProbe("-XX:+UseG1GC");
        assertTrue(output.contains("guaranteed=true"), output);
        List<String> rounds = output.lines().filter(l -> l.startsWith("round=")).toList();
        assertEquals(3, rounds.size(), output);
        for (String round : rounds) {
            String mods = round.substring(round.indexOf("mod64=") + 6);
            for (String mod : mods.split(",")) {
                assertEquals("0", mod, round);
            }
        }
    }

    /** Under another collector nothing is promised, and the kernels still get their storage. */
    @Test
    void underAnotherCollectorAlignmentIsNotClaimed() throws Exception {
        String output = runProbe("-XX:+UseParallelGC");
        assertTrue(output.contains("guaranteed=false"), output);
        assertEquals(3, output.lines().filter(l -> l.startsWith("round=")).count(), output);
    }

    private static String runProbe(String gc) throws Exception {
        return ChildJvm.run(List.of("-Xmx256m", gc, "-XX:-UseCompressedOops"), AlignmentProbe.class);
    }
}
