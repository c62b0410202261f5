package dev.forecaster.model.train;

import dev.forecaster.schema.ArchitectureSpec;
import dev.forecaster.schema.ModelSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded noisy sinusoids with different levels, amplitudes, periods and phases. */
public final class SyntheticSeries {

    private SyntheticSeries() {}

    public static List<double[]> sines(int count, int length, long seed) {
        Random random = new Random(seed);
        List<double[]> series = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            double level = 50 + 100 * random.nextDouble();
            double amplitude = 5 + 20 * random.nextDouble();
            double period = 20 + 8 * random.nextDouble();
            double phase = 2 * Math.PI * random.nextDouble();
            double noise = 0.05 * amplitude;
            double[] x = new double[length];
            for (int t = 0; t < length; t++) {
                x[t] = level + amplitude * Math.sin(2 * Math.PI * t / period + phase)
                        + noise * random.nextGaussian();
            }
            series.add(x);
        }
        return series;
    }

    private static ModelSnapshot smallModel;

    /**
     * The model {@link #smallOptions()} trains on four 600-point sines of seed 1, trained once per
     * test JVM because several test classes need a trained model.
     */
    public static synchronized ModelSnapshot smallModel() {
        if (smallModel == null) {
            smallModel = new LstmTrainer().train(sines(4, 600, 1), smallOptions(), TrainingListener.NONE);
        }
        return smallModel;
    }

    /** A copy of {@code snapshot} that keeps its series statistics with {@code memory}. */
    public static ModelSnapshot withScalingMemory(ModelSnapshot snapshot, int memory) {
        ModelSnapshot copy = ModelSnapshot.newBuilder(snapshot).build();
        copy.setArchitecture(ArchitectureSpec.newBuilder(copy.getArchitecture()).setScalingMemory(memory).build());
        return copy;
    }

    private static ModelSnapshot smallGaussianModel;

    /**
     * {@link #smallModel()} with a Gaussian head, trained without held-out windows, so it carries
     * no spread calibration; trained once per test JVM.
     */
    public static synchronized ModelSnapshot smallGaussianModel() {
        if (smallGaussianModel == null) {
            smallGaussianModel = new LstmTrainer().train(sines(4, 600, 1), smallOptions().toBuilder()
                    .head(dev.forecaster.model.HeadKind.GAUSSIAN).validationFraction(0.0).build(), TrainingListener.NONE);
        }
        return smallGaussianModel;
    }

    /** Small settings that train in about a second on one core. */
    public static TrainingOptions smallOptions() {
        return TrainingOptions.builder()
                .seed(7)
                .hiddenSize(16)
                .horizon(8)
                .windowLength(48)
                .tbpttLength(24)
                .batchSize(16)
                .maxIterations(60)
                .learningRate(1e-2)
                .modelName("test-lstm")
                .build();
    }
}
