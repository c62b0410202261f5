package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dl4jModelsTest {

    @ParameterizedTest
    @EnumSource(CellType.class)
    void snapshotRoundTripKeepsEveryParameter(CellType cell) {
        ModelSpec spec = ModelSpec.of(cell, 6, 2, 3);
        MultiLayerNetwork net = Dl4jModels.build(spec, 1L, options(cell));
        GruLayerTest.randomise(net, 0.5, 2L);
        ModelSnapshot snapshot = Dl4jModels.toSnapshot(net, spec, "round-trip", 1L, null, null);
        assertEquals(2 * 3 + 2, snapshot.getTensors().size());
        int blocks = cell.blocks();
        assertEquals(List.of(1, blocks * 6), snapshot.getTensors().get(0).getShape(), "0_W");
        assertEquals(List.of(6, blocks * 6), snapshot.getTensors().get(1).getShape(), "0_RW");

        MultiLayerNetwork restored = Dl4jModels.fromSnapshot(snapshot, 3L, options(cell));
        assertEquals(net.params(), restored.params());
        ModelSnapshot again = Dl4jModels.toSnapshot(restored, spec, "round-trip", 1L, null, null);
        for (int i = 0; i < snapshot.getTensors().size(); i++) {
            Tensor a = snapshot.getTensors().get(i);
            Tensor b = again.getTensors().get(i);
            assertEquals(a.getName(), b.getName());
            assertEquals(a.getData(), b.getData(), a.getName());
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void networksTrainWithTruncatedBackpropagationThroughTime(CellType cell) {
        MultiLayerNetwork net = Dl4jModels.build(ModelSpec.of(cell, 4, 1, 2), 1L,
                options(cell).toBuilder().tbpttLength(12).build());
        assertEquals(BackpropType.TruncatedBPTT, net.getLayerWiseConfigurations().getBackpropType());
        assertEquals(12, net.getLayerWiseConfigurations().getTbpttFwdLength());
        assertEquals(12, net.getLayerWiseConfigurations().getTbpttBackLength());
    }

    @Test
    void identityInitialisationStartsEveryRnnLayerAtTheIdentityWithZeroBiases() {
        ModelSpec spec = ModelSpec.of(CellType.RNN, 5, 2, 3);
        MultiLayerNetwork irnn = Dl4jModels.build(spec, 1L, options(CellType.RNN).toBuilder().identityInit(true).build());
        MultiLayerNetwork plain = Dl4jModels.build(spec, 1L, options(CellType.RNN));
        INDArray identity = Nd4j.eye(5).castTo(DataType.FLOAT);
        for (int l = 0; l < 2; l++) {
            assertEquals(identity, irnn.getParam(l + "_RW"), "layer " + l);
            assertEquals(0.0, irnn.getParam(l + "_b").norm1Number().doubleValue(), "layer " + l);
            assertNotEquals(identity, plain.getParam(l + "_RW"), "layer " + l);
            assertTrue(irnn.getParam(l + "_W").norm1Number().doubleValue() > 0, "input weights stay random");
        }
    }

    @Test
    void identityInitialisationIsForRnnCellsOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> TrainingOptions.builder().cellType(CellType.GRU).identityInit(true).build());
        TrainingOptions irnn = options(CellType.RNN).toBuilder().identityInit(true).build();
        assertThrows(IllegalArgumentException.class,
                () -> Dl4jModels.build(ModelSpec.of(CellType.LSTM, 4, 1, 2), 1L, irnn));
    }

    @Test
    void snapshotRefusesANetworkOfAnotherCell() {
        MultiLayerNetwork gru = Dl4jModels.build(ModelSpec.of(CellType.GRU, 4, 1, 2), 1L, options(CellType.GRU));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dl4jModels.toSnapshot(gru, ModelSpec.of(CellType.RNN, 4, 1, 2), "x", 1L, null, null));
        assertTrue(e.getMessage().contains("SimpleRnn"), e.getMessage());
    }

    /**
     * Scaling the head's outputs multiplies the means it is given factors for, at every step of a
     * sequence, and leaves a Gaussian head's log-sds (the outputs after the means) alone.
     */
    @Test
    void scalingTheHeadsOutputsScalesTheMeansAtEveryStepAndNotTheSpreads() {
        ModelSpec spec = ModelSpec.of(CellType.LSTM, 6, 1, 3).withHead(dev.forecaster.model.HeadKind.GAUSSIAN);
        MultiLayerNetwork net = Dl4jModels.build(spec, 3L, TrainingOptions.builder().head(spec.head()).build());
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 1, 5);
        float[] before = Dl4jModels.rowMajor(net.output(input));
        double[] factors = {0.5, 0, 1};
        Dl4jModels.scaleHeadOutputs(net, spec, factors);
        float[] after = Dl4jModels.rowMajor(net.output(input));
        // [batch 2, outputs 6, time 5] row-major
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 6; j++) {
                for (int t = 0; t < 5; t++) {
                    int i = (b * 6 + j) * 5 + t;
                    double expected = j < 3 ? factors[j] * before[i] : before[i];
                    assertEquals(expected, after[i], 1e-6, "example " + b + ", output " + j + ", step " + t);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Dl4jModels.scaleHeadOutputs(net, spec, new double[7]));
    }

    private static TrainingOptions options(CellType cell) {
        return TrainingOptions.builder().cellType(cell).build();
    }
}
