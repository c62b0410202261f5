package dev.forecaster.jobs.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

import org.apache.flink.api.common.JobID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a running job's metrics through Flink's REST API, as a dashboard would: the aggregate over
 * the subtasks of one vertex. Flink fetches metrics from the task managers every few seconds, so
 * {@link #await} polls until the value satisfies the test or the time is up.
 */
public final class FlinkMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private FlinkMetrics() {}

    /**
     * The {@code agg} ("sum", "max", …) over the subtasks of the vertex whose name contains {@code
     * vertex}, of the operator metric named {@code metric}, once {@code until} accepts it.
     *
     * @throws AssertionError with the last value seen (or the metric ids there were) when the time is up
     */
    public static double await(URI webUi, JobID job, String vertex, String metric, String agg,
            Duration timeout, DoublePredicate until) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (true) {
            for (String vid : vertexIds(webUi, job, vertex)) {
                List<String> ids = new ArrayList<>();
                for (JsonNode m : get(webUi, "/jobs/" + job + "/vertices/" + vid + "/subtasks/metrics")) {
                    ids.add(m.get("id").asText());
                }
                String id = ids.stream().filter(i -> i.equals(metric) || i.endsWith("." + metric)).findFirst()
                        .orElse(null);
                if (id == null) {
                    last = "no " + metric + " among " + ids;
                    continue;
                }
                JsonNode values = get(webUi, "/jobs/" + job + "/vertices/" + vid + "/subtasks/metrics?get="
                        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&agg=" + agg);
                if (values.size() == 1 && values.get(0).has(agg)) {
                    double value = values.get(0).get(agg).asDouble();
                    if (until.test(value)) {
                        return value;
                    }
                    last = id + " " + agg + " = " + value;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("metric " + metric + " of vertex '" + vertex + "': " + last);
            }
            Thread.sleep(500);
        }
    }

    /** The vertices whose names contain {@code vertex} (chained operators share one vertex). */
    private static List<String> vertexIds(URI webUi, JobID job, String vertex) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode v : get(webUi, "/jobs/" + job).get("vertices")) {
            String name = v.get("name").asText();
            names.add(name);
            if (name.contains(vertex)) {
                ids.add(v.get("id").asText());
            }
        }
        if (ids.isEmpty()) {
            throw new AssertionError("no vertex '" + vertex + "' in " + names);
        }
        return ids;
    }

    private static JsonNode get(URI webUi, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(webUi.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
