package dev.forecaster.model.lifecycle;

import java.io.Serializable;

import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.train.TrainingOptions;
import dev.forecaster.schema.ModelSnapshot;

/**
 * What one worker does in one round: {@code localBatches} TBPTT minibatches of {@code batchSize}
 * sub-windows of {@code windowLength} steps, cut from the training windows of its shard.
 *
 * @param tbpttLength truncated-BPTT forward length (segments of a sub-window)
 * @param tbpttBackLength steps at the end of each segment that gradients flow back through; 0 =
 *     the whole segment
 * @param seed base seed; round r of worker w trains with {@code seed + 7919 r + w}, so a run is
 *     reproducible given its inputs, and workers do not draw the same minibatches
 */
public record RoundOptions(int localBatches, int batchSize, int windowLength, int tbpttLength,
        int tbpttBackLength, double learningRate, double clipNorm, long seed) implements Serializable {

    public RoundOptions {
        if (localBatches < 1 || batchSize < 1 || windowLength < 1 || tbpttLength < 1) {
            throw new IllegalArgumentException("batches, batch size and lengths must be positive");
        }
        if (tbpttBackLength < 0 || tbpttBackLength > tbpttLength) {
            throw new IllegalArgumentException("the TBPTT backward length must be 0 (the forward length) to "
                    + tbpttLength + ", was " + tbpttBackLength);
        }
    }

    public static RoundOptions defaults() {
        return new RoundOptions(20, 16, 48, 24, 0, 3e-3, 1.0, 42L);
    }

    public RoundOptions withLocalBatches(int n) {
        return new RoundOptions(n, batchSize, windowLength, tbpttLength, tbpttBackLength, learningRate, clipNorm, seed);
    }

    /** Trainer options continuing {@code base}'s architecture in round {@code round} of {@code worker}. */
    public TrainingOptions trainingOptions(ModelSnapshot base, long round, int worker) {
        ModelSpec spec = ModelSpec.fromAvro(base.getArchitecture());
        // No identity initialisation: the parameters come from the base, whatever the cell.
        return TrainingOptions.builder()
                .cellType(spec.cellType())
                .seed(seed + 7919L * round + worker)
                .hiddenSize(spec.hiddenSize())
                .layers(spec.layers())
                .horizon(spec.horizon())
                .windowLength(windowLength)
                .tbpttLength(tbpttLength)
                .tbpttBackLength(tbpttBackLength)
                .batchSize(batchSize)
                .maxIterations(localBatches)
                .learningRate(learningRate)
                .clipNorm(clipNorm)
                .validationFraction(0.0)
                .modelName(base.getName())
                .evaluate(false)
                .head(spec.head())
                .features(spec.features())
                .target(spec.target())
                .scalingMemory(spec.scalingMemory())
                .build();
    }
}
