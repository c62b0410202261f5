package dev.forecaster.model.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a child JVM by {@link AlignedFloatsTest}, with {@code -XX:-UseCompressedOops} so that a
 * reference read through {@code sun.misc.Unsafe} is the object's address: prints the address
 * modulo 64 of the first element of every slice, before and after garbage collections that move
 * ordinary objects.
 */
public final class AlignmentProbe {

    private AlignmentProbe() {}

    public static void main(String[] args) throws Exception {
        // Through reflection, so that compiling it warns of no proprietary API.
        Class<?> type = Class.forName("sun.misc.Unsafe");
        Field field = type.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        Object unsafe = field.get(null);
        Method getLong = type.getMethod("getLong", Object.class, long.class);
        Method baseOffset = type.getMethod("arrayBaseOffset", Class.class);
        long objectsBase = ((Number) baseOffset.invoke(unsafe, Object[].class)).longValue();
        long floatsBase = ((Number) baseOffset.invoke(unsafe, float[].class)).longValue();
        System.out.println("guaranteed=" + AlignedFloats.guaranteed());
        List<AlignedFloats.Slice> slices = new ArrayList<>();
        // Odd sizes, and one bigger than an arena.
        for (int n : new int[] {1, 17, 1000, 16_640, 3, 300_000, 1536}) {
            slices.add(AlignedFloats.allocate(n));
        }
        List<Object> garbage = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            StringBuilder line = new StringBuilder("round=" + round + " mod64=");
            for (AlignedFloats.Slice s : slices) {
                Object[] holder = {s.array()};
                long address = (Long) getLong.invoke(unsafe, holder, objectsBase);
                long first = address + floatsBase + (long) Float.BYTES * s.offset();
                line.append(first % 64).append(',');
            }
            System.out.println(line);
            for (int i = 0; i < 200_000; i++) {
                garbage.add(new float[i % 64]);
            }
            garbage.clear();
            System.gc();
        }
    }
}
