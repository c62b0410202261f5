package dev.forecaster.model.train;

import dev.forecaster.model.CellType;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.dl4j.Dl4jModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    @Test
    void scoresEveryNAndAfterTheLastMinibatch() {
        EarlyStopping stopping = new EarlyStopping(10, 2, 25);
        assertFalse(stopping.scoresAfter(9));
        assertTrue(stopping.scoresAfter(10));
        assertTrue(stopping.scoresAfter(20));
        assertFalse(stopping.scoresAfter(24));
        assertTrue(stopping.scoresAfter(25), "the last minibatch is always scored");
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(0, 2, 25));
    }

    /** Stops after {@code patience} scores without a better one and puts the best parameters back. */
    @Test
    void keepsTheBestParametersAndStopsAfterThePatienceRunsOut() {
        MultiLayerNetwork net = Dl4jModels.build(ModelSpec.of(CellType.RNN, 3, 1, 2), 1L, TrainingOptions.defaults());
        EarlyStopping stopping = new EarlyStopping(5, 3, 100);
        // An equal score is no improvement; a better one resets the count.
        double[] scores = {0.9, 0.5, 0.5, 0.6, 0.4, 0.7, 0.45, 0.41};
        boolean[] stops = {false, false, false, false, false, false, false, true};
        INDArray best = null;
        for (int i = 0; i < scores.length; i++) {
            net.params().assign(i);
            if (scores[i] == 0.4) {
                best = net.params().dup();
            }
            assertEquals(stops[i], stopping.stopsAfter(5 * (i + 1), scores[i], net), "score " + i);
        }
        assertEquals(25, stopping.bestIteration());
        assertEquals(0.4, stopping.bestScore());
        stopping.restoreBest(net);
        assertEquals(best, net.params());
    }

    @Test
    void aRunWhoseLastScoreIsTheBestKeepsItsParameters() {
        MultiLayerNetwork net = Dl4jModels.build(ModelSpec.of(CellType.RNN, 3, 1, 2), 1L, TrainingOptions.defaults());
        EarlyStopping stopping = new EarlyStopping(5, 2, 10);
        net.params().assign(1);
        stopping.stopsAfter(5, 0.9, net);
        net.params().assign(2);
        stopping.stopsAfter(10, 0.8, net);
        stopping.restoreBest(net);
        assertEquals(2.0, net.params().getDouble(0));
        assertEquals(10, stopping.bestIteration());
    }
}
