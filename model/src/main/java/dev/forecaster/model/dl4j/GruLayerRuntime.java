package dev.forecaster.model.dl4j;

import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime of {@link GruLayer}: DL4J's SameDiff layer runtime (whose parameter and gradient
 * views it keeps) with its own graphs, which take the initial state as a placeholder and return the
 * last state, so that the layer is a {@link RecurrentLayer}. That lets {@code
 * MultiLayerNetwork.rnnTimeStep} carry the state from call to call and truncated BPTT carry it from
 * segment to segment, as for DL4J's LSTM.
 *
 * <p>Gradients: the graph's loss is Σ(output ∘ ε) for the ε DL4J passes down, so SameDiff's
 * gradients of it are exactly dL/dparams and dL/dinput. A TBPTT segment backpropagates through its
 * last {@code tbpttBackLength} steps (all of them by default) from the state before them, held
 * constant (the truncation): the segment's stored initial state, or the forward pass's output at the
 * step before. The errors of earlier steps are left out, and their input gradients are zero, as
 * DL4J's LSTM and SimpleRnn do. Masks are not supported.
 *
 * <p>Like every DL4J layer, one thread at a time.
 */
final class GruLayerRuntime extends SameDiffLayer implements RecurrentLayer, TruncatedBackprop {

    static final String STATE_KEY = "h";
    private static final String INPUT = "input";
    private static final String H0 = "h0";
    private static final String EPSILON = "epsilon";

    /** One unrolled graph per sequence length. */
    private final Map<Integer, Graph> graphs = new HashMap<>();
    private final Map<String, INDArray> stateMap = new HashMap<>();
    private Map<String, INDArray> tBpttStateMap = new HashMap<>();
    /** Initial state of the last forward pass, which backpropagation must start from too; null = zeros. */
    private INDArray lastH0;
    /** Outputs [mb, H, T] of the last forward pass: a shorter backward pass starts from one of them. */
    private INDArray lastOutput;
    /** Whether the last forward pass started from the stored state: a truncated-BPTT segment. */
    private boolean fromStoredState;
    private int backLength = Integer.MAX_VALUE;

    GruLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private record Graph(SameDiff sd, String output, String last, List<String> gradientTargets) {}

    private GruLayer gru() {
        return (GruLayer) layerConf();
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    private Graph graph(int steps) {
        return graphs.computeIfAbsent(steps, t -> {
            GruLayer conf = gru();
            SameDiff sd = SameDiff.create();
            SDVariable input = sd.placeHolder(INPUT, dataType, -1, conf.getNIn(), t);
            SDVariable h0 = sd.placeHolder(H0, dataType, -1, conf.getNOut());
            Map<String, SDVariable> params = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
                params.put(e.getKey(), sd.var(e.getKey(), dataType, e.getValue().shape()));
            }
            SDVariable[] out = conf.defineSequence(sd, input, h0, params, t);
            SDVariable epsilon = sd.placeHolder(EPSILON, dataType, -1, conf.getNOut(), t);
            SDVariable loss = sd.sum(out[0].mul(epsilon));
            sd.setLossVariables(loss);
            // SameDiff differentiates with respect to placeholders only when named here; it also
            // prints a line per op to stdout while doing so.
            QuietStdout.run(() -> sd.createGradFunction(INPUT));
            List<String> targets = new ArrayList<>(paramTable.keySet());
            targets.add(INPUT);
            return new Graph(sd, out[0].name(), out[1].name(), targets);
        });
    }

    private Map<String, INDArray> placeholders(Graph g, INDArray in, INDArray h0) {
        for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
            g.sd().associateArrayWithVariable(e.getValue(), e.getKey());
        }
        long mb = in.size(0);
        INDArray state = h0 != null ? h0 : Nd4j.zeros(dataType, mb, gru().getNOut());
        if (state.size(0) != mb) {
            throw new IllegalStateException("Stored GRU state is for " + state.size(0)
                    + " sequences, input has " + mb + "; clear the state first");
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(INPUT, in.castTo(dataType));
        ph.put(H0, state);
        return ph;
    }

    /** Outputs [mb, H, T] and last state [mb, H], detached from every workspace. */
    private INDArray[] forward(INDArray h0) {
        if (maskArray != null) {
            throw new UnsupportedOperationException("GruLayer does not support masks");
        }
        if (input.rank() != 3) {
            throw new IllegalArgumentException("GruLayer expects [minibatch, nIn, time] input, got "
                    + Arrays.toString(input.shape()));
        }
        lastH0 = h0;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            Graph g = graph(Math.toIntExact(input.size(2)));
            Map<String, INDArray> out = g.sd().output(placeholders(g, input, h0), g.output(), g.last());
            lastOutput = out.get(g.output()).dup();
            return new INDArray[] {lastOutput, out.get(g.last()).dup()};
        }
    }

    @Override
    public void truncateBackpropTo(int steps) {
        backLength = Math.max(1, steps);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        fromStoredState = false;
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, forward(null)[0]);
    }

    /**
     * A truncated-BPTT segment's gradient after a forward pass from the stored state (all that
     * {@code MultiLayerNetwork} asks; see {@link TruncatedBpttNetwork}), else the whole sequence's.
     */
    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        int steps = Math.toIntExact(input.size(2));
        return backpropagate(epsilon, fromStoredState ? Math.min(backLength, steps) : steps, workspaceMgr);
    }

    /** Gradients of the last {@code back} steps of the last forward pass, from the state before them. */
    private Pair<Gradient, INDArray> backpropagate(INDArray epsilon, int back, LayerWorkspaceMgr workspaceMgr) {
        Gradient gradient = new DefaultGradient();
        INDArray inputGradient;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            int steps = Math.toIntExact(input.size(2));
            int start = steps - back;
            INDArray in = input;
            INDArray eps = epsilon;
            INDArray h0 = lastH0;
            if (start > 0) {
                INDArrayIndex tail = NDArrayIndex.interval(start, steps);
                in = input.get(NDArrayIndex.all(), NDArrayIndex.all(), tail).dup();
                eps = epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), tail).dup();
                h0 = lastOutput.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(start - 1)).dup();
            }
            Graph g = graph(back);
            Map<String, INDArray> ph = placeholders(g, in, h0);
            ph.put(EPSILON, eps.castTo(dataType));
            Map<String, INDArray> grads = g.sd().calculateGradients(ph, g.gradientTargets());
            for (String key : paramTable.keySet()) {
                INDArray view = gradTable.get(key);
                view.assign(grads.get(key));
                gradient.gradientForVariable().put(key, view);
            }
            if (start > 0) {
                inputGradient = Nd4j.zeros(dataType, input.size(0), input.size(1), steps);
                inputGradient.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(start, steps))
                        .assign(grads.get(INPUT));
            } else {
                inputGradient = grads.get(INPUT).dup();
            }
        }
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, inputGradient));
    }

    /** DL4J's SameDiff runtime only checks the shape here; this one also sets the value. */
    @Override
    public void setParam(String key, INDArray val) {
        super.setParam(key, val);
        paramTable.get(key).assign(val);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray[] out = forward(stateMap.get(STATE_KEY));
        stateMap.put(STATE_KEY, out[1]);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out[0]);
    }

    @Override
    public Map<String, INDArray> rnnGetPreviousState() {
        return new HashMap<>(stateMap);
    }

    @Override
    public void rnnSetPreviousState(Map<String, INDArray> state) {
        stateMap.clear();
        if (state != null) {
            stateMap.putAll(state);
        }
    }

    @Override
    public void rnnClearPreviousState() {
        stateMap.clear();
        tBpttStateMap.clear();
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray[] out = forward(stateMap.get(STATE_KEY));
        fromStoredState = true;
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY, out[1]);
        }
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out[0]);
    }

    @Override
    public Map<String, INDArray> rnnGetTBPTTState() {
        return tBpttStateMap;
    }

    @Override
    public void rnnSetTBPTTState(Map<String, INDArray> state) {
        tBpttStateMap = state == null ? new HashMap<>() : new HashMap<>(state);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        int steps = Math.toIntExact(input.size(2));
        return backpropagate(epsilon, Math.min(Math.max(tbpttBackLength, 1), steps), workspaceMgr);
    }
}
