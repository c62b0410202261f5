package dev.forecaster.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The processor a benchmark ran on, for its header line: the model name and the data caches of
 * CPU 0 (Linux: {@code /proc/cpuinfo} and {@code /sys/devices/system/cpu/cpu0/cache}). The
 * single-event kernel streams its weights through L1 and L2, so the same build gives different
 * ratios on a 32 KB and a 48 KB L1 (docs/kernel.md); a figure without the cache sizes cannot be
 * compared with another machine's. Anything unreadable is left out, never guessed.
 */
public final class CpuDescription {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");

    private CpuDescription() {}

    /** For example {@code cpu AMD EPYC, L1d 32K, L2 1024K, L3 32768K}; {@code cpu unknown} off Linux. */
    public static String describe() {
        return describe(read(CPUINFO), caches(CACHES));
    }

    /** One cache of {@code /sys/.../cache/indexN}: its level, type and size as the kernel writes them. */
    public record Cache(String level, String type, String size) {}

    /**
     * The description from the text of {@code /proc/cpuinfo} (empty if unreadable) and the caches:
     * data and unified caches only, in the order given, as {@code L<level>[d] <size>}.
     */
    static String describe(String cpuinfo, List<Cache> caches) {
        StringBuilder sb = new StringBuilder("cpu ").append(modelName(cpuinfo).orElse("unknown"));
        for (Cache c : caches) {
            if (c.type().equalsIgnoreCase("Instruction")) {
                continue;
            }
            sb.append(", L").append(c.level()).append(c.type().equalsIgnoreCase("Data") ? "d" : "")
                    .append(' ').append(c.size());
        }
        return sb.toString();
    }

    /** The first {@code model name} line's value (x86), else the first {@code Model name}/{@code Processor}. */
    static Optional<String> modelName(String cpuinfo) {
        String[] lines = cpuinfo.split("\n");
        for (String key : List.of("model name", "Model name", "Processor", "cpu model")) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    String value = line.substring(colon + 1).trim();
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<Cache> caches(Path dir) {
        List<Cache> caches = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) {
                break;
            }
            String level = read(index.resolve("level")).trim();
            String type = read(index.resolve("type")).trim();
            String size = read(index.resolve("size")).trim();
            if (!level.isEmpty() && !type.isEmpty() && !size.isEmpty()) {
                caches.add(new Cache(level, type, size));
            }
        }
        return caches;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
