package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** Wiring shared by our configurations whose {@code instantiate} returns a DL4J runtime of our own. */
final class LayerRuntimes {

    private LayerRuntimes() {}

    /** What DL4J's own {@code instantiate} does with a fresh runtime: listeners, index, parameters, configuration. */
    static <R extends BaseLayer<?>> R wire(R runtime, Layer layerConf, NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView, boolean initializeParams) {
        runtime.setListeners(listeners);
        runtime.setIndex(layerIndex);
        runtime.setParamsViewArray(layerParamsView);
        runtime.setParamTable(layerConf.initializer().init(conf, layerParamsView, initializeParams));
        runtime.setConf(conf);
        return runtime;
    }
}
