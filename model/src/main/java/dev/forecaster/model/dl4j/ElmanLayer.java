package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * DL4J's {@code SimpleRnn} (the Elman cell, h' = act(x·W + h·RW + b)) with a runtime whose truncated
 * BPTT is right: {@link ElmanLayerRuntime}. The configuration, the parameters and their layout are
 * {@code SimpleRnn}'s, so a network, a snapshot and the step kernels see no difference; only
 * {@link #instantiate} differs. Build it with {@code SimpleRnn.Builder} and {@link #of}.
 */
public class ElmanLayer extends SimpleRnn {

    /** For DL4J's configuration cloning and JSON; use {@link #of}. */
    public ElmanLayer() {
        this(new SimpleRnn.Builder());
    }

    private ElmanLayer(SimpleRnn.Builder builder) {
        super(builder);
    }

    /** The layer {@code builder} describes, with the corrected runtime. */
    public static ElmanLayer of(SimpleRnn.Builder builder) {
        return new ElmanLayer(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("ElmanLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerRuntimes.wire(new ElmanLayerRuntime(conf, networkDataType), this, conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
