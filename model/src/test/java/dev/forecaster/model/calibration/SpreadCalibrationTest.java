package dev.forecaster.model.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.lifecycle.ValidationGate;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

class SpreadCalibrationTest {

    /** A committed Gaussian-head snapshot from before calibration existed (H = 3). */
    static ModelSnapshot uncalibrated() throws Exception {
        return SnapshotFiles.read(Path.of(SpreadCalibrationTest.class.getResource(
                "/snapshots/gru-2x8-h3-v2-gaussian.avro").toURI()));
    }

    @Test
    void factorsMustBeFiniteAndPositive() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, SpreadCalibration.MAX_FACTOR * 2,
            SpreadCalibration.MIN_FACTOR / 2}) {
            assertThrows(IllegalArgumentException.class, () -> SpreadCalibration.of(new double[] {1, bad}), "" + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SpreadCalibration.of(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> SpreadCalibration.identity(0));
        SpreadCalibration c = SpreadCalibration.of(new double[] {0.5, 2});
        assertFalse(c.isIdentity());
        assertTrue(SpreadCalibration.identity(4).isIdentity());
        assertEquals(4, SpreadCalibration.identity(4).horizon());
    }

    /** A snapshot without factors (every old one) serves its raw spreads: factor 1. */
    @Test
    void aSnapshotWithoutFactorsReadsAsTheIdentity() throws Exception {
        ModelSnapshot old = uncalibrated();
        assertFalse(SpreadCalibration.present(old));
        assertEquals(SpreadCalibration.identity(3), SpreadCalibration.of(old));
        assertEquals(SpreadCalibration.identity(3), LstmForecaster.fromSnapshot(old).spreadCalibration());
    }

    /**
     * Factors survive a file round trip exactly, sit beside the parameters without changing them,
     * and nothing that reads parameters chokes on them: the kernel's raw outputs and DL4J's network
     * are the same as without.
     */
    @Test
    void factorsRoundTripThroughASnapshotFileAndLeaveTheParametersAlone(@TempDir Path dir) throws Exception {
        ModelSnapshot old = uncalibrated();
        SpreadCalibration factors = SpreadCalibration.of(new double[] {0.5, 0.75, 1.5});
        ModelSnapshot calibrated = factors.attachTo(old);
        assertEquals(old.getTensors().size() + 1, calibrated.getTensors().size());
        Path file = dir.resolve("calibrated.avro");
        SnapshotFiles.write(calibrated, file);
        ModelSnapshot read = SnapshotFiles.read(file);
        assertEquals(factors, SpreadCalibration.of(read));
        assertEquals(factors, LstmForecaster.fromSnapshot(read).spreadCalibration());
        assertEquals(List.of(3), SpreadCalibration.tensorOf(read).getShape());
        assertEquals(old.getTensors(), SpreadCalibration.withoutTensor(read.getTensors()));
        // Attaching again replaces rather than adds.
        SpreadCalibration other = SpreadCalibration.of(new double[] {2, 2, 2});
        assertEquals(other, SpreadCalibration.of(other.attachTo(read)));
        assertEquals(read.getTensors().size(), other.attachTo(read).getTensors().size());

        LstmForecaster plain = LstmForecaster.fromSnapshot(old);
        LstmForecaster withFactors = LstmForecaster.fromSnapshot(read);
        RecurrentState a = plain.newState();
        RecurrentState b = withFactors.newState();
        float[] outA = new float[6];
        float[] outB = new float[6];
        for (int t = 0; t < 20; t++) {
            float[] in = {(float) Math.sin(t / 3.0)};
            plain.step(a, in, outA);
            withFactors.step(b, in, outB);
            assertArrayEquals(outA, outB, "the kernel's outputs are the raw head's");
        }

        MultiLayerNetwork fromOld = Dl4jModels.fromSnapshot(old, 1L);
        MultiLayerNetwork fromCalibrated = Dl4jModels.fromSnapshot(read, 1L);
        assertEquals(fromOld.params(), fromCalibrated.params());
        assertTrue(ValidationGate.finiteParameters(read));
    }

    @Test
    void misplacedFactorsAreRefused() throws Exception {
        ModelSnapshot old = uncalibrated();
        assertThrows(IllegalArgumentException.class, () -> SpreadCalibration.identity(4).attachTo(old),
                "H = 3 needs three factors");
        ModelSnapshot point = ModelSnapshot.newBuilder(old).setArchitecture(
                ModelSpec.fromAvro(old.getArchitecture()).withHead(HeadKind.POINT).toAvro()).build();
        assertThrows(IllegalArgumentException.class, () -> SpreadCalibration.identity(3).attachTo(point),
                "a point head has no spreads");

        List<Tensor> tensors = new ArrayList<>(point.getTensors());
        tensors.add(Tensors.of(SpreadCalibration.TENSOR, new float[] {1, 1, 1}, 3));
        ModelSnapshot pointWithFactors = ModelSnapshot.newBuilder(point).setTensors(tensors).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SpreadCalibration.of(pointWithFactors));
        assertTrue(e.getMessage().contains("POINT"), e.getMessage());

        List<Tensor> wrongShape = new ArrayList<>(old.getTensors());
        wrongShape.add(Tensors.of(SpreadCalibration.TENSOR, new float[] {1, 1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> LstmForecaster.fromSnapshot(ModelSnapshot.newBuilder(old).setTensors(wrongShape).build()));

        List<Tensor> zero = new ArrayList<>(old.getTensors());
        zero.add(Tensors.of(SpreadCalibration.TENSOR, new float[] {1, 0, 1}, 3));
        assertThrows(IllegalArgumentException.class,
                () -> LstmForecaster.fromSnapshot(ModelSnapshot.newBuilder(old).setTensors(zero).build()));
        assertNotEquals(SpreadCalibration.identity(3), SpreadCalibration.of(new double[] {1, 1, 1.5}));
    }
}
