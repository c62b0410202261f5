package dev.forecaster.model.snapshot;

import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Names, construction and lookup of snapshot tensors.
 *
 * <p>Names follow DL4J's parameter keys so a snapshot maps one-to-one onto a network: recurrent
 * layer {@code i} has {@code i_W} [nIn x 4H], {@code i_RW} [H x 4H] and {@code i_b} [4H]; the
 * head, at layer index {@code L = layers}, has {@code L_W} [H x outputs] and {@code L_b}
 * [outputs], outputs being the horizon for a point head and twice it for a Gaussian one (means,
 * then log-sds). All data is row-major float32 little-endian. A Gaussian model may also carry
 * {@code spread_calibration} [H], which is not a network parameter ({@link
 * dev.forecaster.model.calibration.SpreadCalibration}).
 */
public final class Tensors {

    private Tensors() {}

    public static String inputWeights(int layer) {
        return layer + "_W";
    }

    public static String recurrentWeights(int layer) {
        return layer + "_RW";
    }

    public static String bias(int layer) {
        return layer + "_b";
    }

    /** Head weights; {@code headLayer} is the number of recurrent layers. */
    public static String headWeights(int headLayer) {
        return headLayer + "_W";
    }

    public static String headBias(int headLayer) {
        return headLayer + "_b";
    }

    public static Tensor of(String name, float[] data, int... shape) {
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "Tensor " + name + " has shape " + Arrays.toString(shape) + " (" + n
                            + " elements) but " + data.length + " values");
        }
        List<Integer> dims = new ArrayList<>(shape.length);
        for (int d : shape) {
            dims.add(d);
        }
        return Tensor.newBuilder()
                .setName(name)
                .setShape(dims)
                .setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(data)))
                .build();
    }

    /** @throws IllegalArgumentException when the snapshot has no tensor of that name */
    public static Tensor find(ModelSnapshot snapshot, String name) {
        for (Tensor t : snapshot.getTensors()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "Snapshot " + snapshot.getName() + " v" + snapshot.getVersion()
                        + " has no tensor " + name);
    }

    /**
     * The values of the named tensor, checked against the shape the caller expects.
     *
     * @throws IllegalArgumentException when the tensor is missing, has another shape, or its data
     *     length disagrees with its shape
     */
    public static float[] floats(ModelSnapshot snapshot, String name, int... expectedShape) {
        Tensor t = find(snapshot, name);
        int[] shape = shape(t);
        if (!Arrays.equals(shape, expectedShape)) {
            throw new IllegalArgumentException(
                    "Tensor " + name + " has shape " + Arrays.toString(shape) + ", expected "
                            + Arrays.toString(expectedShape));
        }
        float[] data = SnapshotFiles.bytesToFloats(t.getData());
        if (data.length != elementCount(shape)) {
            throw new IllegalArgumentException(
                    "Tensor " + name + " has " + data.length + " values for shape "
                            + Arrays.toString(shape));
        }
        return data;
    }

    public static int[] shape(Tensor t) {
        List<Integer> dims = t.getShape();
        int[] shape = new int[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
        }
        return shape;
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }
}
