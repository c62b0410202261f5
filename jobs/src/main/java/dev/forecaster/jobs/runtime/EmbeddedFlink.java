package dev.forecaster.jobs.runtime;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Flink MiniCluster with the web UI, whose checkpoints live in a temporary directory that is
 * removed on close.
 */
public final class EmbeddedFlink implements AutoCloseable {

    private final MiniCluster cluster;
    private final Path workDir;
    private final URI webUi;

    private EmbeddedFlink(MiniCluster cluster, Path workDir, URI webUi) {
        this.cluster = cluster;
        this.workDir = workDir;
        this.webUi = webUi;
    }

    /** Starts a cluster with one task manager of {@code slots} slots and the web UI on a free port. */
    public static EmbeddedFlink start(int slots) throws Exception {
        Path workDir = TempDirs.create("forecaster-flink");
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, workDir.resolve("checkpoints").toUri().toString());
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        conf.setString("io.tmp.dirs", workDir.resolve("io").toString());
        MiniCluster cluster = new MiniCluster(
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(slots)
                        .build());
        try {
            cluster.start();
            URI webUi = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
            return new EmbeddedFlink(cluster, workDir, webUi);
        } catch (Exception e) {
            cluster.close();
            Files.deleteIfExists(workDir);
            throw e;
        }
    }

    public URI webUi() {
        return webUi;
    }

    public Path checkpointRoot() {
        return workDir.resolve("checkpoints");
    }

    public JobID submit(StreamGraph graph) throws Exception {
        return cluster.submitJob(graph).get(60, TimeUnit.SECONDS).getJobID();
    }

    public JobStatus status(JobID job) throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /** Cancels the job and waits until it has stopped. */
    public void cancel(JobID job) throws Exception {
        if (!status(job).isGloballyTerminalState()) {
            cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
        }
        cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
    }

    /** Waits until every task of the job is running. */
    public void awaitRunning(JobID job, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        JobStatus status;
        while ((status = status(job)) != JobStatus.RUNNING) {
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("Job " + job + " ended " + status, failureCause(job));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Job " + job + " is not running: " + status);
            }
            Thread.sleep(50);
        }
    }

    /** Why a finished job failed, or null when it did not fail. */
    public Throwable failureCause(JobID job) throws Exception {
        JobResult result = cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
        return result.getSerializedThrowable()
                .map(t -> t.deserializeError(getClass().getClassLoader()))
                .orElse(null);
    }

    /** The newest completed checkpoint of a job, if any was retained. */
    public Optional<Path> latestCheckpoint(JobID job) throws IOException {
        Path jobDir = checkpointRoot().resolve(job.toHexString());
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max((a, b) -> Long.compare(checkpointId(a), checkpointId(b)));
        }
    }

    private static long checkpointId(Path dir) {
        return Long.parseLong(dir.getFileName().toString().substring("chk-".length()));
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            TempDirs.deleteRecursively(workDir);
        }
    }
}
