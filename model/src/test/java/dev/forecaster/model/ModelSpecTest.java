package dev.forecaster.model;

import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ArchitectureSpec;
import dev.forecaster.model.features.InputFeatures;
import dev.forecaster.model.scaling.SeriesScaler;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSpecTest {

    @Test
    void avroRoundTrip() {
        ModelSpec spec = ModelSpec.lstm(32, 2, 12);
        ArchitectureSpec avro = spec.toAvro();
        assertEquals("LSTM", avro.getCellType());
        assertEquals(List.of("value"), avro.getInputFeatures());
        assertEquals(spec, ModelSpec.fromAvro(avro));
    }

    @Test
    void calendarFeaturesRoundTripAndSetTheInputSize() {
        InputFeatures paris = InputFeatures.parse("hour_of_day,day_of_week", "Europe/Paris");
        ModelSpec spec = ModelSpec.of(CellType.GRU, 8, 2, 3).withFeatures(paris);
        assertEquals(5, spec.inputSize());
        ArchitectureSpec avro = spec.toAvro();
        assertEquals(List.of("value", "hour_of_day", "day_of_week"), avro.getInputFeatures());
        assertEquals("Europe/Paris", avro.getCalendarZone());
        assertEquals(spec, ModelSpec.fromAvro(avro));
        assertEquals(paris, spec.withHead(HeadKind.GAUSSIAN).features(), "another head keeps the inputs");
        assertNotEquals(spec, spec.withFeatures(InputFeatures.VALUE_ONLY));
        assertEquals(1, spec.withFeatures(InputFeatures.VALUE_ONLY).inputSize());
        assertThrows(IllegalArgumentException.class,
                () -> new ModelSpec(CellType.LSTM, 3, 8, 1, 2, HeadKind.POINT, paris), "5 inputs, not 3");
        ArchitectureSpec unknown = ArchitectureSpec.newBuilder(avro)
                .setInputFeatures(List.of("value", "moon_phase")).setInputSize(3).build();
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(unknown));
    }

    @Test
    void rejectsNonPositiveSizesAndUnknownCells() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(8, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.lstm(8, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(CellType.LSTM, 0, 8, 1, 1));
        ArchitectureSpec unknown = ModelSpec.lstm(8, 1, 1).toAvro();
        unknown.setCellType("TRANSFORMER");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(unknown));
        assertTrue(e.getMessage().contains("TRANSFORMER") && e.getMessage().contains("GRU"), e.getMessage());
    }

    @Test
    void everyCellTypeRoundTripsUnderItsSnapshotName() {
        for (CellType cell : CellType.values()) {
            ModelSpec spec = ModelSpec.of(cell, 16, 3, 4);
            assertEquals(cell.name(), spec.toAvro().getCellType());
            assertEquals(spec, ModelSpec.fromAvro(spec.toAvro()));
            assertEquals(1, spec.layerInputs(0));
            assertEquals(16, spec.layerInputs(2));
        }
        assertEquals(List.of("LSTM", "GRU", "RNN"), java.util.Arrays.stream(CellType.values()).map(Enum::name).toList());
        assertEquals(4, CellType.LSTM.blocks());
        assertEquals(3, CellType.GRU.blocks());
        assertEquals(1, CellType.RNN.blocks());
    }

    @Test
    void theHeadRoundTripsAndDecidesTheOutputCount() {
        ModelSpec point = ModelSpec.of(CellType.GRU, 8, 1, 5);
        assertEquals(HeadKind.POINT, point.head());
        assertEquals(5, point.outputs());
        assertEquals("POINT", point.toAvro().getHead());
        ModelSpec gaussian = point.withHead(HeadKind.GAUSSIAN);
        assertEquals(10, gaussian.outputs());
        assertEquals("GAUSSIAN", gaussian.toAvro().getHead());
        assertEquals(gaussian, ModelSpec.fromAvro(gaussian.toAvro()));
        assertTrue(!gaussian.equals(point));
        ArchitectureSpec unknown = gaussian.toAvro();
        unknown.setHead("QUANTILE");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(unknown));
        assertTrue(e.getMessage().contains("QUANTILE") && e.getMessage().contains("GAUSSIAN"), e.getMessage());
        assertEquals(HeadKind.GAUSSIAN, HeadKind.parse("gaussian"));
    }

    @Test
    void theTargetRoundTripsSurvivesTheOtherWithersAndDefaultsToLevel() {
        ModelSpec level = ModelSpec.of(CellType.LSTM, 8, 1, 5);
        assertEquals(ForecastTarget.LEVEL, level.target(), "specs built without one forecast levels, as before");
        ModelSpec change = level.withTarget(ForecastTarget.CHANGE);
        assertEquals("CHANGE", change.toAvro().getTarget());
        assertEquals(change, ModelSpec.fromAvro(change.toAvro()));
        assertNotEquals(level, change);
        assertEquals(ForecastTarget.CHANGE, change.withHead(HeadKind.GAUSSIAN).withFeatures(InputFeatures.VALUE_ONLY).target());
        ArchitectureSpec unknown = change.toAvro();
        unknown.setTarget("RATIO");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(unknown));
        assertTrue(e.getMessage().contains("RATIO") && e.getMessage().contains("CHANGE"), e.getMessage());
        assertEquals(ForecastTarget.CHANGE, ForecastTarget.parse("change"));
    }

    @Test
    void theScalingMemoryRoundTripsSurvivesTheOtherWithersAndDefaultsToLifetime() {
        ModelSpec lifetime = ModelSpec.of(CellType.GRU, 8, 1, 5);
        assertEquals(SeriesScaler.LIFETIME, lifetime.scalingMemory(), "specs built without one keep lifetime statistics");
        assertEquals(SeriesScaler.LIFETIME, lifetime.newScaler().memory());
        ModelSpec forgetting = lifetime.withScalingMemory(336);
        assertEquals(336, forgetting.toAvro().getScalingMemory());
        assertEquals(forgetting, ModelSpec.fromAvro(forgetting.toAvro()));
        assertNotEquals(lifetime, forgetting);
        assertEquals(336, forgetting.withHead(HeadKind.GAUSSIAN).withTarget(ForecastTarget.CHANGE)
                .withFeatures(InputFeatures.VALUE_ONLY).scalingMemory());
        assertEquals(new SeriesScaler(336), forgetting.newScaler());
        ArchitectureSpec one = forgetting.toAvro();
        one.setScalingMemory(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromAvro(one));
        assertEquals("scaling memory must be 0 (lifetime) or >= 2, was 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().scalingMemory(-5).build());
        assertEquals(0, TrainingOptions.builder().scalingMemory(0).build().spec().scalingMemory());
    }

    @Test
    void theLogSdClampBindsOnlyOutsideItsRange() {
        assertEquals(Math.exp(-7), HeadKind.sd(-30), 0);
        assertEquals(Math.exp(7), HeadKind.sd(12), 0);
        assertEquals(Math.exp(0.3), HeadKind.sd(0.3), 0);
        // p10/p90 are mean -/+ Z90 sds: Phi(Z90) = 0.9.
        assertEquals(0.9, 0.5 * (1 + erf(HeadKind.Z90 / Math.sqrt(2))), 1e-9);
    }

    /** Abramowitz-Stegun 7.1.26 is too coarse here; a series expansion is exact enough for |x| < 1. */
    private static double erf(double x) {
        double sum = 0;
        double term = x;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    @Test
    void trainingOptionDefaultsAreTheDocumentedOnes() {
        TrainingOptions o = TrainingOptions.defaults();
        assertEquals(42L, o.seed());
        assertEquals(ModelSpec.lstm(64, 1, 24).withTarget(ForecastTarget.CHANGE).withScalingMemory(48), o.spec());
        assertEquals(48, o.scalingMemory(), "new models' statistics forget, with a memory of 48 points");
        assertEquals(ForecastTarget.CHANGE, o.target(), "new models forecast changes from the last value");
        assertEquals(96, o.windowLength());
        assertEquals(48, o.tbpttLength());
        assertEquals(48, o.tbpttBackLength(), "the whole segment unless told otherwise");
        assertEquals(32, o.batchSize());
        assertEquals(300, o.maxIterations());
        assertEquals(3e-3, o.learningRate());
        assertEquals(1.0, o.clipNorm());
        assertEquals(0.1, o.validationFraction());
        assertEquals("forecaster-lstm", o.modelName());
        assertEquals(CellType.LSTM, o.cellType());
        assertEquals(false, o.identityInit());
        assertEquals(ModelSpec.of(CellType.GRU, 64, 1, 24).withTarget(ForecastTarget.CHANGE).withScalingMemory(48),
                o.toBuilder().cellType(CellType.GRU).build().spec());
        assertEquals(o, o.toBuilder().build());
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().validationFraction(1.0).build());
    }

    @Test
    void theBackwardLengthIsAtMostTheForwardOneAndFollowsItWhenEqual() {
        TrainingOptions o = TrainingOptions.builder().tbpttLength(24).tbpttBackLength(8).build();
        assertEquals(8, o.tbpttBackLength());
        assertEquals(8, o.toBuilder().tbpttLength(12).build().tbpttBackLength());
        // Equal lengths mean "the whole segment", which a new forward length keeps meaning.
        assertEquals(12, TrainingOptions.defaults().toBuilder().tbpttLength(12).build().tbpttBackLength());
        assertThrows(IllegalArgumentException.class, () -> o.toBuilder().tbpttLength(6).build());
        assertThrows(IllegalArgumentException.class, () -> TrainingOptions.builder().tbpttBackLength(-1).build());
    }

    /**
     * A spec Java-serialised by a build before forecast targets (commit ed24068; how it was made is
     * in serialized/README.md) reads back as a level forecaster with everything else it had, as
     * Flink would restore it from an old job graph.
     */
    @Test
    void aSpecJavaSerialisedBeforeTargetsReadsAsALevelForecaster() throws Exception {
        ModelSpec spec;
        try (java.io.InputStream in = ModelSpecTest.class.getResourceAsStream("/serialized/modelspec-before-target.ser");
                java.io.ObjectInputStream objects = new java.io.ObjectInputStream(in)) {
            spec = (ModelSpec) objects.readObject();
        }
        assertEquals(ForecastTarget.LEVEL, spec.target());
        assertEquals(ModelSpec.of(CellType.GRU, 8, 2, 3).withHead(HeadKind.GAUSSIAN)
                .withFeatures(InputFeatures.parse("hour_of_day", "UTC")).withTarget(ForecastTarget.LEVEL), spec);
    }
}
