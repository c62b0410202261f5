package dev.forecaster.jobs.demo;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.forecaster.schema.AnomalyAlert;
import dev.forecaster.schema.DeadLetter;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Reads the committed outputs (read_committed), keeps the counts, the forecast error and the last
 * alert, and draws a live view of a few keys.
 */
public final class DemoMonitor implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String forecastsTopic;
    private final String alertsTopic;
    private final AvroCodec<Forecast> forecasts = AvroCodec.of(Forecast.getClassSchema());
    private final AvroCodec<AnomalyAlert> alerts = AvroCodec.of(AnomalyAlert.getClassSchema());
    private final AvroCodec<DeadLetter> deadLetters = AvroCodec.of(DeadLetter.getClassSchema());
    private final ForecastScore score;
    private final GroundTruth truth;
    private final List<String> shownKeys;
    private long forecastCount;
    private long deadLetterCount;
    private long alertCount;
    private AnomalyAlert lastAlert;
    private long unreadable;

    public DemoMonitor(String bootstrapServers, String forecastsTopic, String deadLettersTopic, String alertsTopic,
            GroundTruth truth, List<String> shownKeys) {
        Properties props = new Properties();
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.GROUP_ID_CONFIG, "forecaster-demo-monitor",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        this.consumer = new KafkaConsumer<>(props);
        this.consumer.subscribe(List.of(forecastsTopic, deadLettersTopic, alertsTopic));
        this.forecastsTopic = forecastsTopic;
        this.alertsTopic = alertsTopic;
        this.truth = truth;
        this.score = new ForecastScore(truth);
        this.shownKeys = shownKeys;
    }

    /** Reads whatever has been committed since the last call. */
    public void poll(Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            try {
                if (r.topic().equals(forecastsTopic)) {
                    score.accept(forecasts.decode(r.value()));
                    forecastCount++;
                } else if (r.topic().equals(alertsTopic)) {
                    lastAlert = alerts.decode(r.value());
                    alertCount++;
                } else {
                    deadLetters.decode(r.value());
                    deadLetterCount++;
                }
            } catch (IOException e) {
                unreadable++;
            }
        }
    }

    public long forecasts() {
        return forecastCount;
    }

    public long deadLetters() {
        return deadLetterCount;
    }

    public long alerts() {
        return alertCount;
    }

    public long unreadable() {
        return unreadable;
    }

    public ForecastScore score() {
        return score;
    }

    /** Prints the live view: counts, then per shown key the last value, next forecast and last error. */
    public void render(PrintStream out, boolean redraw, long produced, double elapsedSeconds, String webUi) {
        StringBuilder view = new StringBuilder();
        if (redraw) {
            view.append("\u001b[H\u001b[2J");
        }
        view.append(String.format("Flink web UI: %s   elapsed %.0f s%n", webUi, elapsedSeconds));
        view.append(String.format("events in %d | forecasts out %d | dead letters %d | alerts %d | MAE model %.3f vs persistence %.3f%n",
                produced, forecastCount, deadLetterCount, alertCount, score.modelMae(), score.persistenceMae()));
        if (lastAlert != null) {
            view.append(String.format("last alert: %s %s %s: %s%n", lastAlert.getSeverity(), lastAlert.getSeriesId(),
                    lastAlert.getEventTime(), lastAlert.getReason()));
        }
        view.append(String.format("%-14s %12s %14s %12s%n", "series", "last value", "next forecast", "last error"));
        for (String key : shownKeys) {
            Forecast f = score.lastForecast(key);
            if (f == null) {
                continue;
            }
            double last = truth.value(key, f.getOriginTime().toEpochMilli());
            view.append(String.format("%-14s %12.3f %14.3f %12.3f%n",
                    key, last, f.getMeans().get(0), score.lastError(key)));
        }
        out.print(view);
        out.flush();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
