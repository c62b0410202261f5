package dev.forecaster.model.lifecycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.model.series.TimedValues;
import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.TrainingWindow;

/**
 * The coordinator's logic, free of Flink: watches the training windows for drift, keeps the newest
 * held-out windows, opens rounds when the trigger fires, averages the workers' reports, and after
 * {@code roundsPerRetrain} rounds puts the candidate through the {@link ValidationGate}. Time is
 * passed in. The caller sends the rounds it returns to the workers and publishes promotions.
 */
public final class Retraining {

    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);

    /** What the caller must do after an event. */
    public record Actions(Optional<Round> round, Optional<ModelSnapshot> promoted, Optional<String> rejected) {
        static final Actions NONE = new Actions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A round to broadcast to the workers. */
    public record Round(long number, ModelSnapshot base, String reason) {}

    /** Settings. */
    public record Settings(int workers, long stragglerTimeoutMillis, int roundsPerRetrain, int heldOutEvery,
            int heldOutWindows, int minHeldOut, long retryDelayMillis) implements java.io.Serializable {}

    private final Settings settings;
    private final ValidationGate gate;
    private final RetrainTrigger trigger;
    private final RoundCoordinator rounds;
    private final Deque<TimedValues> heldOut = new ArrayDeque<>();

    private ModelSnapshot serving;
    private long nextRound;
    private int roundsLeft;
    private long triggeredAt;
    private String reason;
    private long notBefore = Long.MIN_VALUE;
    private long promotedCount;
    private long rejectedCount;

    public Retraining(Settings settings, ValidationGate gate, RetrainTrigger trigger, ModelSnapshot serving,
            long nextRound) {
        this.settings = settings;
        this.gate = gate;
        this.trigger = trigger;
        this.rounds = new RoundCoordinator(settings.workers(), settings.stragglerTimeoutMillis());
        this.serving = serving;
        this.nextRound = nextRound;
    }

    public ModelSnapshot serving() {
        return serving;
    }

    /** The number the next round will get (persisted by the caller, so rounds never repeat). */
    public long nextRound() {
        return nextRound;
    }

    public long promotedCount() {
        return promotedCount;
    }

    public long rejectedCount() {
        return rejectedCount;
    }

    public List<TimedValues> heldOut() {
        return new ArrayList<>(heldOut);
    }

    /** A sampled window: held out for the gate, or (for the trainers) only scored for drift. */
    public void onWindow(TrainingWindow window) {
        TimedValues values = TrainingWindows.timed(window);
        if (TrainingWindows.heldOut(window, settings.heldOutEvery())) {
            if (heldOut.size() == settings.heldOutWindows()) {
                heldOut.removeFirst();
            }
            heldOut.addLast(values);
        }
        double mse = gate.oneStepMse(serving, List.of(values));
        if (Double.isFinite(mse)) {
            trigger.recordError(Math.sqrt(mse));
        }
    }

    public Actions onTick(long now) {
        if (roundsLeft > 0) {
            if (rounds.isOpen()) {
                Optional<ModelSnapshot> candidate = rounds.onTimer(now);
                if (candidate.isPresent()) {
                    LOG.warn("Round {} closed without workers {}", rounds.round(), rounds.lastStragglers());
                    return afterRound(candidate.get(), now);
                }
                if (now - roundStartedAt >= settings.stragglerTimeoutMillis()) {
                    // Nobody reported (e.g. the workers were not yet reading): open it again.
                    return new Actions(Optional.of(open(roundBase, "RETRY", now)),
                            Optional.empty(), Optional.empty());
                }
            }
            return Actions.NONE;
        }
        if (now < notBefore || heldOut.size() < settings.minHeldOut()) {
            return Actions.NONE;
        }
        RetrainTrigger.Reason why = trigger.check(now);
        if (why == RetrainTrigger.Reason.NONE) {
            return Actions.NONE;
        }
        LOG.info("Retraining ({}): rolling error {} vs baseline {}", why, trigger.rollingError(), trigger.baseline());
        roundsLeft = settings.roundsPerRetrain();
        triggeredAt = now;
        reason = why.name();
        return new Actions(Optional.of(open(serving, why.name(), now)), Optional.empty(), Optional.empty());
    }

    public Actions onUpdate(int worker, long round, ModelSnapshot snapshot, long samples, long now) {
        Optional<ModelSnapshot> candidate;
        try {
            candidate = rounds.report(worker, round, new WorkerResult(snapshot, samples));
        } catch (IllegalArgumentException e) {
            // A worker with another architecture: the round cannot be averaged.
            return reject("round " + round + " not averaged: " + e.getMessage(), now);
        }
        return candidate.isPresent() ? afterRound(candidate.get(), now) : Actions.NONE;
    }

    private ModelSnapshot roundBase;
    private long roundStartedAt;

    private Round open(ModelSnapshot base, String why, long now) {
        long number = nextRound++;
        roundBase = base;
        roundStartedAt = now;
        // RoundCoordinator numbers its rounds from 0; keep it aligned with ours.
        while (rounds.round() < number - 1) {
            rounds.start(base, now);
        }
        rounds.start(base, now);
        return new Round(number, base, why);
    }

    private Actions afterRound(ModelSnapshot candidate, long now) {
        roundsLeft--;
        boolean finite = ValidationGate.finiteParameters(candidate);
        if (roundsLeft > 0 && finite) {
            return new Actions(Optional.of(open(candidate, "CONTINUE", now)), Optional.empty(), Optional.empty());
        }
        roundsLeft = 0;
        if (finite) {
            candidate = prepared(candidate);
        }
        ValidationGate.Decision decision = gate.evaluate(candidate, serving, heldOut());
        if (!decision.promoted()) {
            return reject(decision.reason() + " " + decision.metrics(), now);
        }
        Map<String, Double> metrics = new LinkedHashMap<>(candidate.getMetrics());
        metrics.putAll(decision.metrics());
        metrics.put("rounds", (double) settings.roundsPerRetrain());
        metrics.put("candidates_rejected_before", (double) rejectedCount);
        metrics.put("trigger_to_promoted_ms", (double) (now - triggeredAt));
        metrics.put("trigger_drift", "DRIFT".equals(reason) ? 1.0 : 0.0);
        ModelSnapshot promoted = ModelSnapshot.newBuilder(candidate)
                .setVersion(serving.getVersion() + 1)
                .setParentVersion(serving.getVersion())
                .setMetrics(metrics)
                .setCreatedAt(java.time.Instant.ofEpochMilli(now))
                .build();
        LOG.info("Promoted {} v{} (parent v{}): {}", promoted.getName(), promoted.getVersion(),
                promoted.getParentVersion(), metrics);
        serving = promoted;
        promotedCount++;
        trigger.onRetrained(now);
        return new Actions(Optional.empty(), Optional.of(promoted), Optional.empty());
    }

    /**
     * The candidate as the gate should judge it and serving would run it: a change model shrunk
     * toward persistence on the gate's held-out windows, as the first training shrank the model on
     * its own ({@link ValidationGate#shrink}); then its spreads refitted there, on those means. The
     * averaged network's spreads are not the base's, so the base's factors, which averaging carried
     * over, no longer fit them. A step that fails (a candidate whose forecasts cannot be used, which
     * the gate then rejects) leaves the candidate as it was.
     */
    private ModelSnapshot prepared(ModelSnapshot candidate) {
        ModelSnapshot shrunk = orUnchanged(candidate, c -> gate.shrink(c, heldOut()), "not shrunk toward persistence");
        return orUnchanged(shrunk, c -> gate.calibrate(c, heldOut()), "spreads not recalibrated");
    }

    private static ModelSnapshot orUnchanged(ModelSnapshot candidate, UnaryOperator<ModelSnapshot> step, String what) {
        try {
            return step.apply(candidate);
        } catch (IllegalArgumentException e) {
            LOG.warn("Candidate {}: {}", what, e.getMessage());
            return candidate;
        }
    }

    private Actions reject(String why, long now) {
        roundsLeft = 0;
        rejectedCount++;
        notBefore = now + settings.retryDelayMillis();
        LOG.warn("Candidate rejected ({} so far): {}", rejectedCount, why);
        return new Actions(Optional.empty(), Optional.empty(), Optional.of(why));
    }
}
