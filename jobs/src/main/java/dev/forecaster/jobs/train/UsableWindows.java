package dev.forecaster.jobs.train;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFilterFunction;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.forecaster.model.lifecycle.TrainingWindows;
import dev.forecaster.schema.TrainingWindow;

/**
 * Drops training windows that cannot be trained on or scored ({@link TrainingWindows#problem}),
 * logging each with its reason and counting them ({@code trainingWindowsDropped}), before they
 * reach the workers and the coordinator: one such window would otherwise fail the trainer job on
 * every restart. Forecast jobs write only usable windows, so this is the policy of {@link
 * dev.forecaster.jobs.io.AvroRecordDeserializer} for records that do not decode, applied to
 * records that decode but do not make sense.
 */
final class UsableWindows extends RichFilterFunction<TrainingWindow> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UsableWindows.class);

    private transient Counter dropped;

    @Override
    public void open(OpenContext openContext) {
        dropped = getRuntimeContext().getMetricGroup().counter("trainingWindowsDropped");
    }

    @Override
    public boolean filter(TrainingWindow window) {
        String problem = TrainingWindows.problem(window);
        if (problem == null) {
            return true;
        }
        dropped.inc();
        LOG.warn("Dropping the training window of series {} ending at {} ({} dropped so far): {}",
                window.getSeriesId(), window.getEndTime(), dropped.getCount(), problem);
        return false;
    }
}
