package dev.forecaster.model.dl4j;

import dev.forecaster.model.CellType;
import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.HeadScaling;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.snapshot.Tensors;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitIdentity;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * DL4J side of the model: the training network for a {@link ModelSpec}, and conversion between
 * networks and {@link ModelSnapshot}s. The layer layout here is the contract that {@code
 * LstmForecaster} reproduces without DL4J; change both together.
 *
 * <p>Recurrent layers per cell type: {@code LSTM} is DL4J's LSTM (tanh, sigmoid gates, no
 * peepholes) as {@link LstmLayer}, {@code GRU} our SameDiff {@link GruLayer}, {@code RNN} DL4J's
 * {@code SimpleRnn} with tanh (the Elman network) as {@link ElmanLayer}; networks are {@link
 * TruncatedBpttNetwork}s. The wrappers and the network exist because DL4J 1.0.0-M2.1's truncated
 * BPTT ignores the backward length and differentiates LSTM and SimpleRnn segments from a zero
 * state (docs/kernel.md, "Truncated BPTT"). Every one has the parameters {@code W}, {@code RW} and {@code b}, so a
 * snapshot stores layer i as {@code i_W}, {@code i_RW}, {@code i_b} whatever the cell.
 */
public final class Dl4jModels {

    private static final Map<CellType, String> LAYER_DESCRIPTIONS = Map.of(
            CellType.LSTM, "an LSTM with tanh activation and sigmoid gates",
            CellType.GRU, "a GruLayer",
            CellType.RNN, "a SimpleRnn with tanh activation and no layer normalisation");

    private Dl4jModels() {}

    /**
     * Loads ND4J's native backend (seconds) on a daemon thread, so that a caller who will train
     * later can overlap that with other start-up work. Harmless if training starts first: class
     * initialisation happens once, and the other thread waits for it.
     */
    public static void preloadInBackground() {
        Thread loader = new Thread(() -> Nd4j.scalar(0f), "nd4j-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Stacked recurrent layers of the spec's cell type and a linear {@code RnnOutputLayer} of {@link
     * ModelSpec#outputs()} units, trained on MSE for a point head or on the Gaussian negative
     * log-likelihood ({@link GaussianNll}; outputs [means | log-sds]) for a Gaussian one, with Adam, per-layer L2 gradient clipping and truncated BPTT. Parameters are initialised
     * from {@code seed}: Xavier weights and zero biases (DL4J's LSTM sets its forget-gate bias to 1),
     * except that {@link TrainingOptions#identityInit()} starts an RNN's recurrent weights at the
     * identity (the IRNN recipe, Le et al. 2015, here with tanh; its biases are zero anyway).
     *
     * @throws IllegalArgumentException when identity initialisation is asked for a cell other than
     *     RNN
     */
    public static MultiLayerNetwork build(ModelSpec spec, long seed, TrainingOptions opts) {
        return build(spec, seed, opts, false);
    }

    /**
     * As {@link #build(ModelSpec, long, TrainingOptions)}; with {@code nanLabelsMasked} a point
     * head trains on {@link MaskedMse}, which leaves NaN labels out (a Gaussian head always does).
     */
    public static MultiLayerNetwork build(ModelSpec spec, long seed, TrainingOptions opts, boolean nanLabelsMasked) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(opts, "opts");
        if (opts.identityInit() && spec.cellType() != CellType.RNN) {
            throw new IllegalArgumentException(
                    "Identity recurrent initialisation applies to RNN cells, not " + spec.cellType());
        }
        NeuralNetConfiguration.ListBuilder layers = trainingRecipe(seed, opts.learningRate(), opts.clipNorm()).list();
        for (int l = 0; l < spec.layers(); l++) {
            layers.layer(l, recurrentLayer(spec.cellType(), spec.layerInputs(l), spec.hiddenSize(), opts.identityInit()));
        }
        RnnOutputLayer.Builder head = spec.head() == HeadKind.GAUSSIAN
                ? new RnnOutputLayer.Builder(new GaussianNll())
                : nanLabelsMasked ? new RnnOutputLayer.Builder(new MaskedMse())
                : new RnnOutputLayer.Builder(LossFunction.MSE);
        layers.layer(spec.layers(), head
                // Explicit, because DL4J infers it only after its own recurrent layers, and a head
                // without a format reads time from the wrong axis when it checks its labels.
                .dataFormat(RNNFormat.NCW)
                .activation(Activation.IDENTITY)
                .nIn(spec.hiddenSize())
                .nOut(spec.outputs())
                .build());
        MultiLayerConfiguration conf = layers
                .tBPTTForwardLength(opts.tbpttLength())
                .tBPTTBackwardLength(opts.tbpttBackLength())
                .backpropType(BackpropType.TruncatedBPTT)
                .build();
        MultiLayerNetwork net = network(conf);
        net.init();
        return net;
    }

    /** The network of {@code conf}, not initialised; its truncated BPTT backpropagates as such ({@link TruncatedBpttNetwork}). */
    static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        return new TruncatedBpttNetwork(conf);
    }

    /**
     * What every network here trains with: float parameters drawn Xavier from {@code seed}, Adam,
     * and per-layer L2 gradient clipping against exploding gradients.
     */
    static NeuralNetConfiguration.Builder trainingRecipe(long seed, double learningRate, double clipNorm) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(learningRate))
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(clipNorm);
    }

    /** One recurrent layer of {@code cell}; {@code identityInit} starts an Elman layer's recurrent weights at I. */
    static Layer recurrentLayer(CellType cell, int nIn, int hidden, boolean identityInit) {
        return switch (cell) {
            // DL4J's runtime gets truncated BPTT wrong inside a MultiLayerNetwork; LstmLayer is the
            // same layer with it right.
            case LSTM -> LstmLayer.of(new LSTM.Builder()
                    .nIn(nIn)
                    .nOut(hidden)
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .build());
            case GRU -> new GruLayer(nIn, hidden);
            case RNN -> {
                SimpleRnn.Builder rnn = new SimpleRnn.Builder()
                        .nIn(nIn)
                        .nOut(hidden)
                        .activation(Activation.TANH)
                        .biasInit(0.0);
                if (identityInit) {
                    rnn.weightInitRecurrent(new WeightInitIdentity());
                }
                // DL4J's runtime gets truncated BPTT wrong; ElmanLayer is the same layer with it right.
                yield ElmanLayer.of(rnn);
            }
        };
    }

    /**
     * Copies the network's parameters into a snapshot.
     *
     * @throws IllegalArgumentException when the network's layers are not those {@link #build}
     *     makes for {@code spec}, since the plain-Java kernel would then compute something else
     */
    public static ModelSnapshot toSnapshot(MultiLayerNetwork net, ModelSpec spec, String name,
            long version, Long parentVersion, Map<String, Double> metrics) {
        checkLayout(net, spec);
        int hidden = spec.hiddenSize();
        int gates = spec.cellType().blocks() * hidden;
        int head = spec.layers();
        List<Tensor> tensors = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            int nIn = spec.layerInputs(l);
            tensors.add(tensor(net, Tensors.inputWeights(l), nIn, gates));
            tensors.add(tensor(net, Tensors.recurrentWeights(l), hidden, gates));
            tensors.add(tensor(net, Tensors.bias(l), gates));
        }
        tensors.add(tensor(net, Tensors.headWeights(head), hidden, spec.outputs()));
        tensors.add(tensor(net, Tensors.headBias(head), spec.outputs()));

        Map<String, Double> scaling = new TreeMap<>();
        scaling.put("clamp", SeriesScaler.CLAMP);
        return ModelSnapshot.newBuilder()
                .setName(name)
                .setVersion(version)
                .setParentVersion(parentVersion)
                .setArchitecture(spec.toAvro())
                .setTensors(tensors)
                .setScaling(scaling)
                // Sorted so that equal metrics always encode to equal bytes.
                .setMetrics(metrics == null ? new TreeMap<>() : new TreeMap<>(metrics))
                .setCreatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /**
     * A network carrying the snapshot's parameters, e.g. to continue training from it. The updater
     * state is not in snapshots, so Adam restarts from zero moments; {@code seed} only matters for
     * anything DL4J randomises after initialisation.
     */
    public static MultiLayerNetwork fromSnapshot(ModelSnapshot snapshot, long seed) {
        return fromSnapshot(snapshot, seed, TrainingOptions.defaults());
    }

    /** As {@link #fromSnapshot(ModelSnapshot, long)}, with the training settings of {@code opts}. */
    public static MultiLayerNetwork fromSnapshot(ModelSnapshot snapshot, long seed,
            TrainingOptions opts) {
        ModelSpec spec = ModelSpec.fromAvro(snapshot.getArchitecture());
        MultiLayerNetwork net = build(spec, seed, opts);
        int hidden = spec.hiddenSize();
        int gates = spec.cellType().blocks() * hidden;
        int head = spec.layers();
        for (int l = 0; l < spec.layers(); l++) {
            int nIn = spec.layerInputs(l);
            load(net, snapshot, Tensors.inputWeights(l), nIn, gates);
            load(net, snapshot, Tensors.recurrentWeights(l), hidden, gates);
            load(net, snapshot, Tensors.bias(l), gates);
        }
        load(net, snapshot, Tensors.headWeights(head), hidden, spec.outputs());
        load(net, snapshot, Tensors.headBias(head), spec.outputs());
        return net;
    }

    /**
     * Multiplies the head's output j, its weights from every hidden unit and its bias, by {@code
     * factors[j]} for each j below {@code factors.length}: the network then outputs {@code
     * factors[j]} times what it did at every step, from any state.
     *
     * @throws IllegalArgumentException for more factors than outputs (from {@link HeadScaling#scale},
     *     before any parameter changes)
     */
    public static void scaleHeadOutputs(MultiLayerNetwork net, ModelSpec spec, double[] factors) {
        int head = spec.layers();
        for (String key : List.of(Tensors.headWeights(head), Tensors.headBias(head))) {
            INDArray param = net.getParam(key);
            float[] values = rowMajor(param);
            HeadScaling.scale(values, spec.outputs(), factors);
            net.setParam(key, Nd4j.create(values, param.shape(), 'c'));
        }
    }

    private static Tensor tensor(MultiLayerNetwork net, String key, int... shape) {
        INDArray param = net.getParam(key);
        if (param == null) {
            throw new IllegalArgumentException("Network has no parameter " + key);
        }
        if (param.length() != (long) Arrays.stream(shape).reduce(1, Math::multiplyExact)) {
            throw new IllegalArgumentException("Parameter " + key + " has shape "
                    + Arrays.toString(param.shape()) + ", expected " + Arrays.toString(shape));
        }
        return Tensors.of(key, rowMajor(param), shape);
    }

    /**
     * The array's values in row-major order. Parameters are views into DL4J's flattened,
     * column-major ('f') parameter vector, so their raw buffer order cannot be used.
     */
    public static float[] rowMajor(INDArray array) {
        INDArray c = array.castTo(DataType.FLOAT).dup('c');
        return c.reshape('c', new long[] {c.length()}).toFloatVector();
    }

    private static void load(MultiLayerNetwork net, ModelSnapshot snapshot, String key,
            int... shape) {
        float[] data = Tensors.floats(snapshot, key, shape);
        INDArray target = net.getParam(key);
        long[] shapeLong = Arrays.stream(shape).asLongStream().toArray();
        // DL4J keeps biases as [1, n] rows; the snapshot stores them as vectors.
        INDArray value = Nd4j.create(data, shapeLong, 'c').reshape('c', target.shape());
        net.setParam(key, value);
    }

    private static void checkLayout(MultiLayerNetwork net, ModelSpec spec) {
        int expectedLayers = spec.layers() + 1;
        if (net.getnLayers() != expectedLayers) {
            throw new IllegalArgumentException("Network has " + net.getnLayers()
                    + " layers, " + spec + " needs " + expectedLayers);
        }
        for (int l = 0; l < spec.layers(); l++) {
            Layer conf = net.getLayerWiseConfigurations().getConf(l).getLayer();
            boolean fits = switch (spec.cellType()) {
                case LSTM -> conf instanceof LSTM lstm
                        && lstm.getActivationFn() instanceof ActivationTanH
                        && lstm.getGateActivationFn() instanceof ActivationSigmoid;
                case GRU -> conf instanceof GruLayer gru
                        && gru.getNIn() == spec.layerInputs(l) && gru.getNOut() == spec.hiddenSize();
                case RNN -> conf instanceof SimpleRnn rnn
                        && rnn.getActivationFn() instanceof ActivationTanH
                        && !rnn.hasLayerNorm();
            };
            if (!fits) {
                throw new IllegalArgumentException("Layer " + l + " must be " + LAYER_DESCRIPTIONS.get(spec.cellType())
                        + " for " + spec + ", was " + conf);
            }
        }
        Layer head = net.getLayerWiseConfigurations().getConf(spec.layers()).getLayer();
        if (!(head instanceof RnnOutputLayer out)
                || !(out.getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException(
                    "Layer " + spec.layers() + " must be an identity RnnOutputLayer, was " + head);
        }
        // The loss decides what the outputs mean: a Gaussian head's second half is log-sds only
        // when it was trained as such.
        boolean gaussianLoss = out.getLossFn() instanceof GaussianNll;
        if (gaussianLoss != (spec.head() == HeadKind.GAUSSIAN) || out.getNOut() != spec.outputs()) {
            throw new IllegalArgumentException("Layer " + spec.layers() + " must have " + spec.outputs()
                    + " outputs trained on " + (spec.head() == HeadKind.GAUSSIAN ? "GaussianNll" : "MSE")
                    + " for a " + spec.head() + " head, has " + out.getNOut() + " trained on " + out.getLossFn());
        }
    }
}
