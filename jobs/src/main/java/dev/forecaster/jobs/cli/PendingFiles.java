package dev.forecaster.jobs.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files a command writes before it knows whether it keeps them (the temporary forecasts files of
 * {@code evaluate}), deleted unless kept: on {@link #close}, and from a shutdown hook when the JVM
 * is stopped by Ctrl-C or SIGTERM, which skips {@code finally} blocks but runs the hooks. Without
 * the hook an interrupted run left its temporary files beside the output.
 */
final class PendingFiles implements AutoCloseable {

    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private final Thread hook = new Thread(this::deleteQuietly, "pending-files-cleanup");

    PendingFiles() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Tracks {@code file} under {@code name} until it is kept or deleted. */
    Path add(String name, Path file) {
        files.put(name, file);
        return file;
    }

    boolean contains(String name) {
        return files.containsKey(name);
    }

    /** Moves {@code name}'s file to {@code target}, replacing it, and stops tracking it. */
    void keep(String name, Path target) throws IOException {
        Path file = files.get(name);
        if (file == null) {
            throw new IllegalArgumentException("no pending file " + name);
        }
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        // Only once moved, so that a failed move still deletes the file.
        files.remove(name);
    }

    /** Deletes every file not kept; the hook is no longer needed. */
    @Override
    public void close() throws IOException {
        try {
            for (Path file : files.values()) {
                Files.deleteIfExists(file);
            }
            files.clear();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: it deletes the same files.
            }
        }
    }

    private void deleteQuietly() {
        for (Path file : files.values()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException | UncheckedIOException e) {
                // Best effort while the JVM stops; nothing is left to report to.
            }
        }
    }
}
