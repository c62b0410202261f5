package dev.forecaster.jobs.testing;

import org.apache.flink.api.common.JobID;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * For assertion messages when a job's output falls short: what the job's REST API says about its
 * tasks' record counts, its checkpoints and its exceptions, so a failure on a loaded machine can be
 * told apart from a job that stopped, failed over or lost data.
 */
public final class FlinkDiagnostics {

    private FlinkDiagnostics() {}

    public static String describe(URI webUi, JobID job) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder out = new StringBuilder();
        for (String path : new String[] {"", "/checkpoints", "/exceptions?maxExceptions=3"}) {
            out.append("\nGET /jobs/").append(job).append(path).append(": ");
            try {
                HttpRequest request = HttpRequest.newBuilder(webUi.resolve("/jobs/" + job + path))
                        .timeout(Duration.ofSeconds(10)).build();
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                out.append(body.length() > 6000 ? body.substring(0, 6000) + "…" : body);
            } catch (Exception e) {
                out.append("unavailable: ").append(e);
            }
        }
        return out.toString();
    }
}
