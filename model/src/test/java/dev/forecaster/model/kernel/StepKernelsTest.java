package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepKernelsTest {

    private static final ModelSpec SPEC = ModelSpec.lstm(16, 1, 4);

    @AfterEach
    void clearProperty() {
        System.clearProperty(StepKernels.PROPERTY);
    }

    private static LstmForecaster model() {
        return LstmForecaster.fromSnapshot(RandomModels.snapshot(SPEC, 1L, 0.3));
    }

    @Test
    void vectorKernelIsChosenWhenTheModuleIsPresent() {
        assertTrue(StepKernels.vectorAvailable(),
                "tests run with --add-modules jdk.incubator.vector (test.jvm.args): "
                        + StepKernels.vectorUnavailableReason());
        for (CellType cell : CellType.values()) {
            LstmForecaster model = LstmForecaster.fromSnapshot(
                    RandomModels.snapshot(ModelSpec.of(cell, 16, 1, 4), 1L, 0.3));
            assertEquals("vector", model.kernelName(), cell.name());
        }
    }

    @Test
    void propertyForcesTheScalarFallback() {
        System.setProperty(StepKernels.PROPERTY, "scalar");
        LstmForecaster model = model();
        assertEquals("scalar", model.kernelName());
        float[] out = new float[4];
        RecurrentState state = model.newState();
        model.step(state, new float[] {1f}, out);
        assertTrue(state.h[0][0] != 0f);
    }

    @Test
    void propertyCanInsistOnTheVectorKernel() {
        System.setProperty(StepKernels.PROPERTY, "vector");
        assertEquals("vector", model().kernelName());
    }

    @Test
    void unknownPropertyValueIsRejected() {
        System.setProperty(StepKernels.PROPERTY, "gpu");
        assertThrows(IllegalArgumentException.class, StepKernelsTest::model);
    }

    @Test
    void deserialisedModelChoosesItsKernelAgain() throws Exception {
        LstmForecaster model = model();
        System.setProperty(StepKernels.PROPERTY, "scalar");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals("scalar", ((LstmForecaster) in.readObject()).kernelName());
        }
    }

    /**
     * The sizes that {@code step} checks arguments against are rebuilt with the kernel after
     * deserialisation: the copy steps as the original does and still rejects a state of the wrong
     * shape or a short input.
     */
    @Test
    void deserialisedModelStepsAndChecksItsArguments() throws Exception {
        LstmForecaster model = model();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        LstmForecaster copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (LstmForecaster) in.readObject();
        }
        float[] input = new float[SPEC.inputSize()];
        input[0] = 0.7f;
        float[] expected = new float[SPEC.outputs()];
        float[] actual = new float[SPEC.outputs()];
        RecurrentState s1 = model.newState();
        RecurrentState s2 = copy.newState();
        for (int t = 0; t < 3; t++) {
            model.step(s1, input, expected);
            copy.step(s2, input, actual);
        }
        assertEquals(s1, s2);
        assertArrayEquals(expected, actual);
        for (LstmForecaster m : List.of(model, copy)) {
            RecurrentState narrow = new RecurrentState(new float[SPEC.layers()][SPEC.hiddenSize() - 1],
                    new float[SPEC.layers()][SPEC.hiddenSize() - 1]);
            assertThrows(IllegalArgumentException.class, () -> m.step(narrow, input, actual));
            RecurrentState noCell = new RecurrentState(new float[SPEC.layers()][SPEC.hiddenSize()],
                    new float[SPEC.layers()][0]);
            assertThrows(IllegalArgumentException.class, () -> m.step(noCell, input, actual));
            assertThrows(IllegalArgumentException.class, () -> m.step(m.newState(), new float[0], actual));
        }
    }

    /**
     * A JVM started without {@code --add-modules jdk.incubator.vector}, as a Flink cluster with
     * default options would be, runs the scalar kernel and never loads the vector one.
     */
    @Test
    void jvmWithoutTheModuleFallsBackWithoutLinkingTheVectorKernel() throws Exception {
        String output = ChildJvm.run(List.of("-Xmx256m", "-verbose:class"), KernelProbe.class);
        for (CellType cell : CellType.values()) {
            assertTrue(output.contains(cell + " kernel=scalar"), output);
        }
        assertFalse(output.contains(StepKernels.class.getPackageName() + ".Vector"),
                "a vector kernel class was loaded:\n" + output);
        assertFalse(output.contains("jdk.incubator.vector."), "incubator classes were loaded:\n" + output);
    }
}
