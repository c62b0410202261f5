package dev.forecaster.jobs.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes the temporary directories the embedded runtime creates. */
public final class TempDirs {

    private TempDirs() {}

    /**
     * Creates {@code <tmp>/<component>-<pid>-<random>}. The process id in the name tells which
     * process a leftover directory belonged to, and lets a test check its own process's leftovers
     * while other processes use the same temporary directory.
     */
    public static Path create(String component) throws IOException {
        return Files.createTempDirectory(prefix(component));
    }

    /** The name prefix of this process's directories for {@code component}. */
    public static String prefix(String component) {
        return component + "-" + ProcessHandle.current().pid() + "-";
    }

    public static void deleteRecursively(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
