package dev.forecaster.model.lifecycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

/**
 * One synchronisation round of data-parallel training: the workers' parameters are averaged,
 * weighted by the samples each worker trained on, into the candidate of the next global version.
 * The base's {@link SpreadCalibration} factors are not parameters: the candidate carries the
 * base's, whatever the workers report, until {@code Retraining} recalibrates it.
 */
public final class ParameterAveraging {

    /** One worker's result for a round. */
    public record WorkerResult(ModelSnapshot snapshot, long samples) {
        public WorkerResult {
            if (samples < 0) {
                throw new IllegalArgumentException("samples must not be negative");
            }
        }
    }

    private ParameterAveraging() {}

    /**
     * Averages the workers that reported; the caller decides which made the round (stragglers are
     * simply left out). Workers with zero samples carry no weight.
     *
     * @param base the global version the round started from; the candidate is {@code base + 1}
     * @throws IllegalArgumentException when a worker's architecture or tensors differ from the
     *     base, or no worker trained on any sample
     */
    public static ModelSnapshot average(ModelSnapshot base, List<WorkerResult> workers) {
        long total = workers.stream().mapToLong(WorkerResult::samples).sum();
        if (total == 0) {
            throw new IllegalArgumentException("no worker trained on any sample");
        }
        Map<String, double[]> sums = new HashMap<>();
        List<Tensor> parameters = SpreadCalibration.withoutTensor(base.getTensors());
        for (Tensor t : parameters) {
            sums.put(t.getName(), new double[SnapshotFiles.bytesToFloats(t.getData()).length]);
        }
        for (WorkerResult worker : workers) {
            ModelSnapshot s = worker.snapshot();
            if (!s.getArchitecture().equals(base.getArchitecture())) {
                throw new IllegalArgumentException("worker architecture " + s.getArchitecture()
                        + " differs from the base " + base.getArchitecture());
            }
            List<Tensor> workerParameters = SpreadCalibration.withoutTensor(s.getTensors());
            if (workerParameters.size() != sums.size()) {
                throw new IllegalArgumentException("worker has " + workerParameters.size()
                        + " parameter tensors, the base " + sums.size());
            }
            double weight = (double) worker.samples() / total;
            for (Tensor t : workerParameters) {
                double[] sum = sums.get(t.getName());
                float[] values = SnapshotFiles.bytesToFloats(t.getData());
                if (sum == null || sum.length != values.length) {
                    throw new IllegalArgumentException("tensor " + t.getName() + " does not match the base");
                }
                for (int i = 0; i < values.length; i++) {
                    sum[i] += weight * values[i];
                }
            }
        }
        List<Tensor> averaged = new ArrayList<>();
        for (Tensor t : parameters) {
            double[] sum = sums.get(t.getName());
            float[] values = new float[sum.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) sum[i];
            }
            averaged.add(Tensor.newBuilder(t)
                    .setData(java.nio.ByteBuffer.wrap(SnapshotFiles.floatsToBytes(values))).build());
        }
        Tensor calibration = SpreadCalibration.tensorOf(base);
        if (calibration != null) {
            averaged.add(calibration);
        }
        return ModelSnapshot.newBuilder(base)
                .setVersion(base.getVersion() + 1)
                .setParentVersion(base.getVersion())
                .setTensors(averaged)
                .setMetrics(Map.of("round_samples", (double) total, "round_workers", (double) workers.size()))
                .setCreatedAt(Instant.now())
                .build();
    }
}
