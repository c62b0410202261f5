package dev.forecaster.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

class EmbeddedFlinkITCase {

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheWebUiAndRemovesItsDirectoryOnClose() throws Exception {
        Path workDir;
        try (EmbeddedFlink flink = EmbeddedFlink.start(2)) {
            workDir = flink.checkpointRoot().getParent();
            assertTrue(Files.isDirectory(workDir));
            HttpResponse<String> page = get(flink.webUi());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().toLowerCase().contains("<html"), "the dashboard page, not just the REST API");
            HttpResponse<String> overview = get(flink.webUi().resolve("/overview"));
            assertEquals(200, overview.statusCode());
            assertTrue(overview.body().contains("\"slots-total\":2"), overview.body());
        }
        assertFalse(Files.exists(workDir), "temporary directory removed");
    }
}
