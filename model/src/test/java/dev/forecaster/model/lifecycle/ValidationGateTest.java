package dev.forecaster.model.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.model.HeadKind;
import dev.forecaster.model.ModelSpec;
import dev.forecaster.model.calibration.SpreadCalibration;
import dev.forecaster.model.eval.Calibration;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.kernel.SeriesForecaster;
import dev.forecaster.model.scaling.SeriesScaler;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.model.snapshot.SnapshotFiles;
import dev.forecaster.model.train.OutputFactors;
import dev.forecaster.model.train.SyntheticSeries;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.Tensor;

class ValidationGateTest {

    private final ValidationGate gate = new ValidationGate(0.02, 3.0, 24);
    private final List<TimedValues> heldOut =
            SyntheticSeries.sines(3, 300, 99L).stream().map(TimedValues::untimed).toList();

    private static ModelSnapshot perturbed(ModelSnapshot like, long seed, double scale, boolean nan) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor t : like.getTensors()) {
            float[] v = SnapshotFiles.bytesToFloats(t.getData());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
            if (nan) {
                v[0] = Float.NaN;
            }
            tensors.add(Tensor.newBuilder(t).setData(ByteBuffer.wrap(SnapshotFiles.floatsToBytes(v))).build());
        }
        return ModelSnapshot.newBuilder(like).setTensors(tensors).build();
    }

    @Test
    void trainedCandidateReplacesARandomServingModel() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ModelSnapshot random = perturbed(trained, 1L, 0.5, false);
        ValidationGate.Decision d = gate.evaluate(trained, random, heldOut);
        assertTrue(d.promoted(), d.reason() + " " + d.metrics());
        assertTrue(d.metrics().get("candidate_mse") < d.metrics().get("persistence_mse"));
    }

    @Test
    void worseOrEqualCandidatesStay() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ValidationGate.Decision same = gate.evaluate(trained, trained, heldOut);
        assertFalse(same.promoted(), "an equal candidate is not better by the margin");
        ValidationGate.Decision worse = gate.evaluate(perturbed(trained, 2L, 3.0, false), trained, heldOut);
        assertFalse(worse.promoted(), worse.reason());
    }

    @Test
    void brokenCandidatesAreRejectedWithAReason() {
        ModelSnapshot trained = SyntheticSeries.smallModel();
        ValidationGate.Decision nan = gate.evaluate(perturbed(trained, 3L, 0.1, true), trained, heldOut);
        assertFalse(nan.promoted());
        assertTrue(nan.reason().contains("NaN"), nan.reason());

        ModelSpec spec = ModelSpec.fromAvro(trained.getArchitecture());
        ModelSnapshot otherShape = ModelSnapshot.newBuilder(trained)
                .setArchitecture(ModelSpec.lstm(spec.hiddenSize(), spec.layers(), spec.horizon() + 1).toAvro()).build();
        ValidationGate.Decision wrong = gate.evaluate(otherShape, trained, heldOut);
        assertFalse(wrong.promoted());
        assertTrue(wrong.reason().contains("architecture"), wrong.reason());
    }

    /**
     * The gate refits a Gaussian candidate's spread factors on its held-out windows, replacing
     * stale ones, and its served p10–p90 then covers about 80 % of windows it has not seen; its
     * means, and so the gate's decision, do not change. Too few held-out points keep the factors
     * the candidate had; a point head is left alone.
     */
    @Test
    void aGaussianCandidateIsRecalibratedOnTheHeldOutWindows() {
        ModelSnapshot model = SyntheticSeries.smallGaussianModel();
        int horizon = ModelSpec.fromAvro(model.getArchitecture()).horizon();
        double[] stale = new double[horizon];
        java.util.Arrays.fill(stale, 5.0);
        ModelSnapshot candidate = SpreadCalibration.of(stale).attachTo(model);
        ModelSnapshot calibrated = gate.calibrate(candidate, heldOut);
        SpreadCalibration factors = SpreadCalibration.of(calibrated);
        assertNotEquals(SpreadCalibration.of(stale), factors);
        assertEquals(0.80, calibrated.getMetrics().get("gate_cover80"), 0.03, calibrated.getMetrics().toString());
        assertTrue(calibrated.getMetrics().get("gate_calibration_points") > 1000, calibrated.getMetrics().toString());
        assertEquals(gate.oneStepMse(candidate, heldOut), gate.oneStepMse(calibrated, heldOut));

        Calibration fresh = new Calibration();
        Calibration uncalibrated = new Calibration();
        LstmForecaster kernel = LstmForecaster.fromSnapshot(calibrated);
        for (double[] x : SyntheticSeries.sines(3, 300, 123L)) {
            SeriesForecaster served = new SeriesForecaster(kernel);
            SeriesForecaster raw = new SeriesForecaster(kernel, SpreadCalibration.identity(horizon));
            SeriesScaler scaler = new SeriesScaler();
            RecurrentState state = kernel.newState();
            SeriesScaler rawScaler = new SeriesScaler();
            RecurrentState rawState = kernel.newState();
            for (int t = 0; t + horizon < x.length; t++) {
                SeriesForecaster.Prediction p = served.predict(scaler, state, 0L, x[t]);
                SeriesForecaster.Prediction r = raw.predict(rawScaler, rawState, 0L, x[t]);
                if (t + 1 >= 24) {
                    for (int k = 0; k < horizon; k++) {
                        fresh.add(p.means()[k], p.spreads()[k], x[t + 1 + k]);
                        uncalibrated.add(r.means()[k], r.spreads()[k], x[t + 1 + k]);
                    }
                }
            }
        }
        System.out.printf("unseen windows: p10-p90 coverage %.3f raw, %.3f calibrated (gate: %s)%n",
                uncalibrated.coverage(), fresh.coverage(), calibrated.getMetrics());
        assertEquals(0.80, fresh.coverage(), 0.07);

        ModelSnapshot tooFew = gate.calibrate(calibrated, List.of(TimedValues.untimed(java.util.Arrays.copyOf(heldOut.get(0).values(), 30))));
        assertEquals(factors, SpreadCalibration.of(tooFew));
        assertTrue(tooFew.getMetrics().get("gate_calibration_points") < 50, tooFew.getMetrics().toString());
        assertFalse(tooFew.getMetrics().containsKey("gate_spread_factor_median"));

        ModelSnapshot point = SyntheticSeries.smallModel();
        assertSame(point, gate.calibrate(point, heldOut));
        assertEquals(HeadKind.POINT, ModelSpec.fromAvro(point.getArchitecture()).head());
    }

    /**
     * The gate shrinks a change candidate toward persistence on its held-out windows: outputs
     * become one factor in [0, 1] per step times what they were, from any state; high where the
     * windows are the sines the model forecasts, low where they are random walks, whose changes
     * nothing predicts, and the one-step error on those comes closer to persistence's. Too few
     * held-out origins leave the head as it was; a level model is left alone.
     */
    @Test
    void aChangeCandidateIsShrunkTowardPersistenceOnTheHeldOutWindows() {
        ModelSnapshot model = SyntheticSeries.smallModel();
        ModelSnapshot onSines = gate.shrink(model, heldOut);
        System.out.println("gate shrink, sines: " + onSines.getMetrics());
        double sinesMean = onSines.getMetrics().get("gate_shrink_mean");
        assertTrue(sinesMean > 0.5, onSines.getMetrics().toString());
        assertEquals(3 * (300 - 24), onSines.getMetrics().get("gate_shrink_origins"));
        double[] factors = OutputFactors.of(model, onSines);
        assertEquals(sinesMean, java.util.Arrays.stream(factors).average().orElseThrow(), 1e-4);

        SplittableRandom random = new SplittableRandom(5L);
        List<TimedValues> walks = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            double[] w = new double[300];
            for (int t = 1; t < w.length; t++) {
                w[t] = w[t - 1] + (random.nextDouble() * 2 - 1);
            }
            walks.add(TimedValues.untimed(w));
        }
        ModelSnapshot onWalks = gate.shrink(model, walks);
        System.out.println("gate shrink, random walks: " + onWalks.getMetrics());
        assertTrue(onWalks.getMetrics().get("gate_shrink_mean") < 0.5 * sinesMean, onWalks.getMetrics().toString());
        OutputFactors.of(model, onWalks);
        ValidationGate.Decision before = gate.evaluate(model, model, walks);
        ValidationGate.Decision after = gate.evaluate(onWalks, model, walks);
        double persistence = before.metrics().get("persistence_mse");
        assertTrue(Math.abs(after.metrics().get("candidate_mse") - persistence)
                < Math.abs(before.metrics().get("candidate_mse") - persistence), before.metrics() + " " + after.metrics());

        ModelSnapshot tooFew = gate.shrink(onSines, List.of(TimedValues.untimed(java.util.Arrays.copyOf(heldOut.get(0).values(), 60))));
        assertEquals(onSines.getTensors(), tooFew.getTensors());
        assertEquals(60 - 24, tooFew.getMetrics().get("gate_shrink_origins"));
        assertFalse(tooFew.getMetrics().containsKey("gate_shrink_mean"), "the earlier fit's figures are replaced");

        ModelSnapshot level = new dev.forecaster.model.train.LstmTrainer().train(SyntheticSeries.sines(2, 200, 3L),
                        SyntheticSeries.smallOptions().toBuilder().target(dev.forecaster.model.ForecastTarget.LEVEL)
                                .maxIterations(2).evaluate(false).build(), null);
        assertSame(level, gate.shrink(level, heldOut));
    }
}
