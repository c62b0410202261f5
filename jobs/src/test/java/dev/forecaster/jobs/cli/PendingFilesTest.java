package dev.forecaster.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

class PendingFilesTest {

    @TempDir Path dir;

    @Test
    void keptFilesAreMovedAndTheRestDeletedOnClose() throws IOException {
        Path a = Files.writeString(dir.resolve("out.a.tmp"), "a");
        Path b = Files.writeString(dir.resolve("out.b.tmp"), "b");
        Path target = Files.writeString(dir.resolve("out.csv"), "old");
        try (PendingFiles pending = new PendingFiles()) {
            pending.add("a", a);
            pending.add("b", b);
            pending.keep("b", target);
            assertFalse(pending.contains("b"));
            assertTrue(pending.contains("a"));
        }
        assertEquals("b", Files.readString(target));
        assertFalse(Files.exists(a));
        assertFalse(Files.exists(b));
    }

    @Test
    void aFailedMoveStillDeletesTheFile() throws IOException {
        Path a = Files.writeString(dir.resolve("out.a.tmp"), "a");
        Path target = Files.createDirectories(dir.resolve("sub")).resolve("x").resolve("out.csv");
        try (PendingFiles pending = new PendingFiles()) {
            pending.add("a", a);
            assertThrows(IOException.class, () -> pending.keep("a", target));
            assertThrows(IllegalArgumentException.class, () -> pending.keep("nope", target));
        }
        assertFalse(Files.exists(a));
    }

    /** SIGTERM skips finally blocks; the shutdown hook still deletes what was not kept. */
    @Test
    void aTerminatedJvmLeavesNoPendingFile() throws Exception {
        Path file = dir.resolve("forecasts.csv.gru.tmp");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Child.class.getName(), file.toString())).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("written", out.readLine());
            assertTrue(Files.exists(file));
            child.destroy();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(143, child.exitValue(), "terminated by SIGTERM");
        assertFalse(Files.exists(file), "the hook deleted the pending file");
    }

    /** Writes a pending file, says so, and waits to be stopped. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            PendingFiles pending = new PendingFiles();
            pending.add("gru", Files.writeString(Path.of(args[0]), "origin_index,horizon_step,prediction\n"));
            System.out.println("written");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
