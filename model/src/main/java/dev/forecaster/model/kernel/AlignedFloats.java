package dev.forecaster.model.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Float storage whose slices start on a 64-byte boundary, for the vector kernels' packed weights.
 *
 * <p><b>Why.</b> A 512-bit load that straddles two cache lines costs two; the single-event step
 * streams about 70 KB of weights from L2 per event, and measured 1.3–1.8× slower when they were
 * misaligned (docs/kernel.md, "Alignment of the packed weights"). A {@code float[]}'s data sits 16
 * bytes after its object, which the JVM places on any 8-byte boundary, and moves at each GC, so an
 * ordinary array's alignment is unknown and changes.
 *
 * <p><b>How.</b> Under G1 an object of at least half a heap region is <i>humongous</i>: it starts
 * at the bottom of a region (aligned to the region size, a power of two of at least 1 MB), and G1
 * never moves it (JDK 17). So slices are cut from arenas of that size at offsets that put them on
 * 64-byte boundaries; many kernels share an arena, which stays alive while any of them does. Under
 * another collector, or when the region size cannot be read, arenas are ordinary arrays of the
 * size asked for, and alignment is left to chance as before ({@link #guaranteed()} is false).
 *
 * <p>The cost is memory: an arena is at least half a region (the heap size / 4096, 0.5–16 MB), and
 * the space of a kernel that is dropped is freed only with its arena's last kernel.
 */
final class AlignedFloats {

    static final int ALIGNMENT_BYTES = 64;
    private static final int ALIGNMENT_FLOATS = ALIGNMENT_BYTES / Float.BYTES;

    /** Bytes from a float[]'s reference to its first element (16 with compressed class pointers). */
    private static final int BASE_OFFSET = arrayBaseOffset();
    /** G1's region size in bytes, or 0 when the JVM does not run G1 (or will not say). */
    private static final long REGION_BYTES = g1RegionBytes();

    private static float[] arena;
    private static int next;

    private AlignedFloats() {}

    /** {@code array[offset, offset + length)}: this caller's storage, zero-filled. */
    record Slice(float[] array, int offset, int length) {}

    /** Whether slices are known to start on 64-byte boundaries (G1 running, region size known). */
    static boolean guaranteed() {
        return REGION_BYTES > 0;
    }

    /** One line for logs and benchmark headers. */
    static String describe() {
        return guaranteed()
                ? "weights 64-byte aligned (G1 humongous arenas of " + (arenaFloats() * 4L >> 10) + " KB)"
                : "weights alignment not controlled (not G1)";
    }

    /** A zero-filled slice of {@code length} floats, 64-byte aligned when {@link #guaranteed()}. */
    static synchronized Slice allocate(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (!guaranteed()) {
            return new Slice(new float[Math.max(length, 1)], 0, length);
        }
        int padded = roundUp(Math.max(length, 1), ALIGNMENT_FLOATS);
        if (arena == null || next + padded > arena.length) {
            int first = firstAlignedIndex();
            arena = new float[Math.max(arenaFloats(), first + padded)];
            next = first;
        }
        Slice slice = new Slice(arena, next, length);
        next += padded;
        return slice;
    }

    /**
     * The index of the first 64-byte-aligned element of an array that starts at a region's
     * bottom: 12 with the usual 16-byte header.
     */
    private static int firstAlignedIndex() {
        return ((ALIGNMENT_BYTES - BASE_OFFSET % ALIGNMENT_BYTES) % ALIGNMENT_BYTES) / Float.BYTES;
    }

    /** Floats in an arena: enough bytes to be humongous (half a region), rounded up. */
    private static int arenaFloats() {
        return (int) ((REGION_BYTES / 2 + Float.BYTES - 1) / Float.BYTES);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private static int arrayBaseOffset() {
        try {
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 16;
        }
    }

    private static long g1RegionBytes() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (vm == null || !Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
            // Only a power of two of at least a cache line makes region bottoms 64-byte aligned.
            return region >= ALIGNMENT_BYTES && Long.bitCount(region) == 1 && region / 2 < Integer.MAX_VALUE
                    ? region : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }
}
