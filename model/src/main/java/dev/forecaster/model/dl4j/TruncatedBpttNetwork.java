package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code MultiLayerNetwork} whose truncated BPTT backpropagates as truncated BPTT. In DL4J
 * 1.0.0-M2.1, {@code computeGradientAndScore} runs a TBPTT segment's forward pass from the state the
 * previous segment left, but then asks every layer for its ordinary {@code backpropGradient}: it
 * passes {@code tbptt = false} to {@code calcBackpropGradients}, whose TBPTT branch would fail on the
 * output layer. So the configured backward length is ignored, and DL4J's LSTM and SimpleRnn recompute
 * the segment from a zero state for their gradients: every segment after a window's first is
 * differentiated along another trajectory than the one its loss was taken on. Our layer runtimes
 * ({@link LstmLayer}, {@link ElmanLayer}, {@link GruLayer}) answer that call correctly after a
 * forward pass from the stored state ({@link TruncatedBackprop}); this network tells them the
 * configured backward length when it is initialised.
 */
final class TruncatedBpttNetwork extends MultiLayerNetwork {

    TruncatedBpttNetwork(MultiLayerConfiguration conf) {
        super(conf);
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        MultiLayerConfiguration conf = getLayerWiseConfigurations();
        int back = conf.getBackpropType() == BackpropType.TruncatedBPTT ? conf.getTbpttBackLength() : Integer.MAX_VALUE;
        for (Layer layer : getLayers()) {
            if (layer instanceof TruncatedBackprop truncated) {
                truncated.truncateBackpropTo(back);
            }
        }
    }
}
