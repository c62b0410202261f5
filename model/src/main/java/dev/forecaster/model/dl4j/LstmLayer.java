package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;

/**
 * DL4J's {@code LSTM} with a runtime whose truncated BPTT is right inside a {@code
 * MultiLayerNetwork} ({@link LstmLayerRuntime}, {@link TruncatedBpttNetwork}). The configuration,
 * parameters and forward pass are {@code LSTM}'s; only {@link #instantiate} differs.
 */
public class LstmLayer extends LSTM {

    /** For DL4J's configuration cloning and JSON; use {@link #of}. */
    public LstmLayer() {}

    /**
     * The layer {@code built} describes, with the corrected runtime. {@code LSTM}'s constructor
     * from its builder is private, so the built configuration's fields are copied over.
     */
    public static LstmLayer of(LSTM built) {
        LstmLayer layer = new LstmLayer();
        for (Class<?> c = LSTM.class; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(layer, f.get(built));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot copy LSTM field " + f, e);
                }
            }
        }
        return layer;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
            int layerIndex, INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("LstmLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerRuntimes.wire(new LstmLayerRuntime(conf, networkDataType), this, conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }
}
