package dev.forecaster.model.dl4j;

import dev.forecaster.model.interpolation.InterpolationOptions;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.rnn.ReverseTimeSeriesVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The bidirectional interpolation network (NON-CAUSAL, for backfill only): a stack of recurrent
 * layers reads the series forwards, a second stack of its own reads it backwards, {@link
 * NeighbourJoinVertex} hands step t the forward summary of x_{&lt;t} and the backward summary of
 * x_{&gt;t}, and a linear head estimates x_t from those. The estimate at t never depends on x_t.
 *
 * <pre>
 *   x ─► fwd0 ─► … ─► fwd{L-1} ────────────────────────┐
 *   x ─► reverse ─► bwd0 ─► … ─► bwd{L-1} ─► reverse ──┴─► NeighbourJoinVertex ─► head (MSE)
 * </pre>
 *
 * <p>Why two stacks and not DL4J's {@code Bidirectional} wrapper stacked L times: the wrapper's
 * output at t concatenates both directions at t, so a second wrapped layer's forward pass at t-1
 * already reads the first layer's backward state at t-1, which has read x_t; the shift after the
 * last layer could no longer hide x_t. Keeping each direction in its own stack until the join is
 * the stacked form that stays an interpolator. At depth 1 the two forms are the same network.
 */
public final class InterpolationNetworks {

    static final String INPUT = "x";
    static final String HEAD = "head";

    private InterpolationNetworks() {}

    /** An initialised network for {@code opts}, its parameters drawn from {@code seed}. */
    public static ComputationGraph build(InterpolationOptions opts, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = Dl4jModels.trainingRecipe(seed, opts.learningRate(), opts.clipNorm())
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.recurrent(1));
        g.addVertex("reversed", new ReverseTimeSeriesVertex(), INPUT);
        String forward = INPUT;
        String backward = "reversed";
        for (int l = 0; l < opts.layers(); l++) {
            int nIn = l == 0 ? 1 : opts.hidden();
            g.addLayer("fwd" + l, Dl4jModels.recurrentLayer(opts.cell(), nIn, opts.hidden(), false), forward);
            g.addLayer("bwd" + l, Dl4jModels.recurrentLayer(opts.cell(), nIn, opts.hidden(), false), backward);
            forward = "fwd" + l;
            backward = "bwd" + l;
        }
        g.addVertex("backInTime", new ReverseTimeSeriesVertex(), backward);
        g.addVertex("neighbours", new NeighbourJoinVertex(), forward, "backInTime");
        g.addLayer(HEAD, new RnnOutputLayer.Builder(LossFunction.MSE)
                .dataFormat(RNNFormat.NCW)
                .activation(Activation.IDENTITY)
                .nIn(2L * opts.hidden())
                .nOut(1)
                .build(), "neighbours");
        g.setOutputs(HEAD);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }
}
