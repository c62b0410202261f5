package dev.forecaster.model.lifecycle;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.forecaster.model.lifecycle.ParameterAveraging.WorkerResult;
import dev.forecaster.schema.ModelSnapshot;

/**
 * Runs the synchronisation rounds of parameter averaging. A round starts from a global version;
 * it closes when every worker has reported, or when the straggler timeout passes with at least
 * one report, so one slow or lost worker cannot stall training. Reports for other rounds are
 * ignored. Time is passed in, so the logic is deterministic under test and in Flink timers.
 */
public final class RoundCoordinator {

    private final int workers;
    private final long stragglerTimeoutMillis;

    private ModelSnapshot base;
    private long round = -1;
    private long startedAt;
    private boolean open;
    private final Map<Integer, WorkerResult> reports = new TreeMap<>();
    private Set<Integer> lastStragglers = Set.of();
    private long staleReports;

    public RoundCoordinator(int workers, long stragglerTimeoutMillis) {
        if (workers < 1) {
            throw new IllegalArgumentException("need at least one worker");
        }
        this.workers = workers;
        this.stragglerTimeoutMillis = stragglerTimeoutMillis;
    }

    /** Opens the next round from {@code base}; returns its number. */
    public long start(ModelSnapshot base, long nowMillis) {
        this.base = base;
        this.round++;
        this.startedAt = nowMillis;
        this.open = true;
        this.reports.clear();
        return round;
    }

    /**
     * Records a worker's report.
     *
     * @return the averaged candidate when this report completes the round
     */
    public Optional<ModelSnapshot> report(int worker, long reportRound, WorkerResult result) {
        if (!open || reportRound != round || worker < 0 || worker >= workers) {
            staleReports++;
            return Optional.empty();
        }
        reports.put(worker, result);
        return reports.size() == workers ? close() : Optional.empty();
    }

    /** @return the candidate averaged from the reports so far, once the timeout has passed */
    public Optional<ModelSnapshot> onTimer(long nowMillis) {
        if (!open || nowMillis - startedAt < stragglerTimeoutMillis || reports.isEmpty()) {
            return Optional.empty();
        }
        return close();
    }

    private Optional<ModelSnapshot> close() {
        open = false;
        Set<Integer> missing = new TreeSet<>();
        for (int w = 0; w < workers; w++) {
            if (!reports.containsKey(w)) {
                missing.add(w);
            }
        }
        lastStragglers = missing;
        return Optional.of(ParameterAveraging.average(base, new ArrayList<>(reports.values())));
    }

    public long round() {
        return round;
    }

    public boolean isOpen() {
        return open;
    }

    /** Workers that had not reported when the last round closed. */
    public Set<Integer> lastStragglers() {
        return lastStragglers;
    }

    public long staleReports() {
        return staleReports;
    }
}
