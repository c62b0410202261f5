package dev.forecaster.model.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a main class of the test classpath in a fresh JVM with the options a test needs. */
final class ChildJvm {

    private ChildJvm() {}

    /** Its stdout and stderr together; fails the test unless it exits 0 within a minute. */
    static String run(List<String> jvmOptions, Class<?> main) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, main.getName()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output;
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            output = r.lines().collect(Collectors.joining("\n"));
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), main.getSimpleName() + " JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        return output;
    }
}
