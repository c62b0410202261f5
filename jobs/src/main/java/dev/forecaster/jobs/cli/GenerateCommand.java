package dev.forecaster.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.forecaster.model.quality.Label;
import dev.forecaster.model.quality.LabelsCsv;
import dev.forecaster.model.synth.GeneratedStreams;
import dev.forecaster.model.synth.StreamFiles;

@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes seeded, labelled multi-key streams: synthetic seasonal series (daily and weekly cycles, trend,",
            "AR noise; level, noise and magnitude differ per key), or copies of a real series (--base, e.g. ETTh1.csv),",
            "with anomalies injected (spike, dip, level_shift, trend_change, variance_change, flat_line,",
            "seasonal_break; key k carries one type) and data problems to tolerate (gaps, duplicate timestamps,",
            "backward steps). The same options and seed give the same files.",
            "--output: series,timestamp,value, the keys interleaved as they would arrive together;",
            "--per-key-dir: one timestamp,value file per key, the 'backfill --input' contract;",
            "--labels: series,type,category,start_row,end_row,start_time,end_time,magnitude, with rows counted",
            "in the key's own file (0-based, end inclusive). See docs/anomaly-quality.md."
        })
public final class GenerateCommand extends UsageErrors implements Callable<Integer> {


    @Mixin
    StreamOptions stream = new StreamOptions();

    @Option(names = "--output", paramLabel = "STREAM.csv", description = "Multi-key stream: series,timestamp,value.")
    Path output;

    @Option(names = "--per-key-dir", paramLabel = "DIR", description = "Also (or instead) write DIR/<key>.csv with timestamp,value per key.")
    Path perKeyDir;

    @Option(names = "--labels", paramLabel = "LABELS.csv", description = "Anomaly and data-problem labels.")
    Path labels;


    @Override
    public Integer call() throws IOException {
        if (output == null && perKeyDir == null) {
            throw usage("give --output and/or --per-key-dir");
        }
        for (Path p : new Path[] {output, labels}) {
            if (p != null && p.toAbsolutePath().getParent() != null && !Files.isDirectory(p.toAbsolutePath().getParent())) {
                throw usage("the folder of " + p + " does not exist");
            }
        }
        if (perKeyDir != null && Files.exists(perKeyDir) && !Files.isDirectory(perKeyDir)) {
            throw usage("--per-key-dir " + perKeyDir + " is not a folder");
        }
        GeneratedStreams streams;
        try {
            streams = stream.generate();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (output != null) {
            StreamFiles.writeMultiKey(output, streams);
        }
        if (perKeyDir != null) {
            StreamFiles.writePerKey(perKeyDir, streams);
        }
        if (labels != null) {
            LabelsCsv.write(labels, streams.labels());
        }
        long anomalies = streams.labels().stream().filter(Label::isAnomaly).count();
        PrintStream err = System.err;
        err.printf(Locale.ROOT, "generate: keys=%d rows=%d anomalies=%d data_problems=%d%n", streams.series().size(),
                streams.totalRows(), anomalies, streams.labels().size() - anomalies);
        return 0;
    }
}
