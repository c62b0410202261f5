package dev.forecaster.jobs.runtime.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.forecaster.jobs.runtime.TempDirs;

/**
 * A single-node Apache Kafka broker (KRaft mode, combined {@code broker,controller} roles) running
 * inside the current JVM, for tests and local runs.
 *
 * <p>Lifecycle: {@link #start()} (or {@link #builder()}…{@link Builder#start()}) creates a temp
 * directory ({@code forecaster-kafka-<pid>-*}), picks two free loopback ports (client and controller
 * listener), formats the storage with {@link Formatter}, and starts a
 * {@link KafkaRaftServer}; it returns once the broker is unfenced and accepting requests.
 * {@link #close()} shuts the server down, waits for it, and deletes the temp directory. Close is
 * idempotent. A JVM shutdown hook (removed again by {@code close()}) stops a broker that was
 * never closed.
 *
 * <p>The configuration is tuned for one node: every internal topic (consumer offsets, transaction
 * state, share-group state) has replication factor 1 and one partition, group rebalances start
 * without delay, topics are not auto-created, and {@code transaction.max.timeout.ms} is one hour
 * (Flink's {@code KafkaSink} asks for one-hour transactions by default, more than the broker's
 * 15-minute default allows).
 *
 * <p><b>JVM exit guard.</b> On fatal faults (for example when the controller listener cannot bind)
 * Kafka's server code calls {@link Exit#halt(int)}, which would kill the whole JVM (test runner,
 * Flink mini-cluster and all). While at least one embedded broker is starting or running, the
 * JVM-wide {@link Exit} exit/halt procedures are replaced by ones that log the request at ERROR
 * and record it (see {@link #fatalError()}) instead of terminating; the defaults are restored when
 * the last embedded broker is closed. Disable with {@link Builder#interceptJvmExit(boolean)}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** KRaft node id of the single combined broker/controller. */
    public static final int NODE_ID = 1;
    /** Client listener name. */
    public static final String BROKER_LISTENER = "PLAINTEXT";
    /** Controller (Raft quorum) listener name. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final String HOST = "127.0.0.1";

    private final Path rootDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private final Duration startupDuration;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean exitGuarded;
    private final AtomicReference<String> fatalError = new AtomicReference<>();

    private EmbeddedKafkaBroker(Path rootDir, KafkaRaftServer server, int brokerPort, int controllerPort,
                                String clusterId, Duration startupDuration, boolean exitGuarded) {
        this.rootDir = rootDir;
        this.server = server;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.bootstrapServers = HOST + ":" + brokerPort;
        this.clusterId = clusterId;
        this.startupDuration = startupDuration;
        this.exitGuarded = exitGuarded;
        this.shutdownHook = new Thread(this::closeQuietly, "forecaster-kafka-shutdown-hook");
    }

    /** Starts a broker with default options. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /** Options for a broker; finish with {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Port of the client ({@value #BROKER_LISTENER}) listener on 127.0.0.1. */
    public int brokerPort() {
        return brokerPort;
    }

    /** Port of the controller ({@value #CONTROLLER_LISTENER}) listener on 127.0.0.1. */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id the storage was formatted with. */
    public String clusterId() {
        return clusterId;
    }

    /** Temp directory holding all broker data; deleted by {@link #close()}. */
    public Path dataDirectory() {
        return rootDir;
    }

    /** Wall-clock time of the successful start attempt (format + server startup). */
    public Duration startupDuration() {
        return startupDuration;
    }

    /**
     * The first JVM exit/halt that Kafka requested (and the exit guard suppressed) while this broker
     * was running, e.g. {@code "halt(1)"}; empty if none. A present value means the broker hit a
     * fatal fault and should not be trusted any more (the ERROR log has the cause).
     */
    public Optional<String> fatalError() {
        return Optional.ofNullable(fatalError.get());
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Shuts the broker down, waits for all its threads, and deletes the data directory.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // the hook is running (or about to); carry on closing from here
        }
        long t0 = System.nanoTime();
        try {
            stopServer(server);
        } finally {
            if (exitGuarded) {
                ExitGuard.release(this);
            }
            deleteRecursively(rootDir);
        }
        LOG.info("Embedded Kafka broker {} stopped in {} ms", bootstrapServers, elapsedMillis(t0));
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Failed to close embedded Kafka broker {}", bootstrapServers, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker{" + bootstrapServers + ", dir=" + rootDir + (closed.get() ? ", closed" : "") + "}";
    }

    // ------------------------------------------------------------------------------------------

    /** Options for {@link EmbeddedKafkaBroker}. */
    public static final class Builder {
        private int defaultPartitions = 1;
        private Duration transactionMaxTimeout = Duration.ofHours(1);
        private int startAttempts = 5;
        private int[] firstAttemptPorts; // tests only
        private boolean interceptJvmExit = true;
        private final Map<String, String> overrides = new LinkedHashMap<>();

        private Builder() {
        }

        /** {@code num.partitions} for topics created without an explicit count (default 1). */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1");
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /** {@code transaction.max.timeout.ms}: the longest transaction timeout a producer may ask for (default 1 h). */
        public Builder transactionMaxTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.transactionMaxTimeout = timeout;
            return this;
        }

        /** How often to retry with fresh ports when a listener port was taken meanwhile (default 5). */
        public Builder startAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be >= 1");
            }
            this.startAttempts = attempts;
            return this;
        }

        /**
         * Whether to replace Kafka's JVM-wide {@link Exit} procedures while the broker runs, so that
         * a fatal broker fault cannot halt the JVM (default {@code true}); see the class docs.
         */
        public Builder interceptJvmExit(boolean intercept) {
            this.interceptJvmExit = intercept;
            return this;
        }

        /**
         * Sets any broker config, overriding the defaults (for example
         * {@code log.retention.check.interval.ms}). Listener, node-id, role, quorum and log-dir
         * settings are managed by the broker and cannot be overridden.
         */
        public Builder brokerProperty(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            if (MANAGED_KEYS.contains(key)) {
                throw new IllegalArgumentException(key + " is managed by EmbeddedKafkaBroker");
            }
            overrides.put(key, value);
            return this;
        }

        /** Sets several broker configs; see {@link #brokerProperty(String, String)}. */
        public Builder brokerProperties(Map<String, String> properties) {
            properties.forEach(this::brokerProperty);
            return this;
        }

        /** Tests only: use these ports (broker, controller) for the first attempt instead of free ones. */
        Builder firstAttemptPorts(int brokerPort, int controllerPort) {
            this.firstAttemptPorts = new int[] {brokerPort, controllerPort};
            return this;
        }

        /** Formats storage and starts the broker; returns when it accepts requests. */
        public EmbeddedKafkaBroker start() {
            Path root;
            try {
                root = TempDirs.create("forecaster-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create temp directory for embedded Kafka", e);
            }
            RuntimeException lastFailure = null;
            Object startToken = new Object();
            if (interceptJvmExit) {
                ExitGuard.acquire(startToken);
            }
            try {
                for (int attempt = 1; attempt <= startAttempts; attempt++) {
                    try {
                        EmbeddedKafkaBroker broker = tryStart(root, attempt);
                        if (interceptJvmExit) {
                            ExitGuard.acquire(broker);
                        }
                        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
                        return broker;
                    } catch (PortConflictException e) {
                        lastFailure = e;
                        LOG.info("Embedded Kafka start attempt {}/{} hit a port conflict ({}){}",
                                attempt, startAttempts, e.getMessage(),
                                attempt < startAttempts ? "; retrying with fresh ports" : "");
                    }
                }
            } catch (RuntimeException | Error e) {
                deleteRecursively(root);
                throw e;
            } finally {
                if (interceptJvmExit) {
                    ExitGuard.release(startToken);
                }
            }
            deleteRecursively(root);
            throw new IllegalStateException("Embedded Kafka could not bind its listeners after "
                    + startAttempts + " attempts", lastFailure);
        }

        private EmbeddedKafkaBroker tryStart(Path root, int attempt) {
            long t0 = System.nanoTime();
            int[] ports = attempt == 1 && firstAttemptPorts != null ? firstAttemptPorts : freePorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Path logDir = root.resolve("kraft-" + attempt);
            try {
                Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KafkaConfig config = new KafkaConfig(brokerConfig(logDir, brokerPort, controllerPort), false);
            String clusterId = Uuid.randomUuid().toString();
            format(logDir, clusterId);

            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                server.startup();
            } catch (Throwable t) {
                stopServer(server);
                deleteRecursively(logDir);
                if (isBindFailure(t)) {
                    throw new PortConflictException(t);
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new IllegalStateException("Embedded Kafka broker failed to start", t);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            LOG.info("Embedded Kafka broker started on {}:{} (controller port {}) in {} ms, data in {}",
                    HOST, brokerPort, controllerPort, took.toMillis(), root);
            return new EmbeddedKafkaBroker(root, server, brokerPort, controllerPort, clusterId, took,
                    interceptJvmExit);
        }

        private Map<String, Object> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
            Map<String, Object> p = new LinkedHashMap<>();
            // --- identity, roles, listeners, quorum (managed) ---
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(NODE_ID));
            p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
            p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                    + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
            p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
            p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
            p.put("controller.listener.names", CONTROLLER_LISTENER);
            p.put("inter.broker.listener.name", BROKER_LISTENER);
            p.put("log.dirs", logDir.toString());
            p.put("metadata.log.dir", logDir.toString());

            // --- single node: replication factor 1 everywhere, few internal partitions ---
            p.put("num.partitions", String.valueOf(defaultPartitions));
            p.put("default.replication.factor", "1");
            p.put("min.insync.replicas", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "1");
            p.put("offsets.topic.segment.bytes", String.valueOf(4 * 1024 * 1024));
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "1");
            p.put("transaction.state.log.segment.bytes", String.valueOf(4 * 1024 * 1024));
            p.put("transaction.max.timeout.ms", String.valueOf(transactionMaxTimeout.toMillis()));
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("share.coordinator.state.topic.num.partitions", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("delete.topic.enable", "true");

            // --- small files and buffers ---
            p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
            p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
            // the cleaner allocates this up front (default 128 MiB of heap)
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));

            // --- few threads: this runs inside a test JVM on a small machine ---
            p.put("num.network.threads", "2");
            p.put("num.io.threads", "4");
            p.put("background.threads", "4");
            p.put("num.recovery.threads.per.data.dir", "1");
            p.put("num.replica.fetchers", "1");
            p.put("group.coordinator.threads", "1");
            p.put("share.coordinator.threads", "1");

            p.putAll(overrides);
            return p;
        }

        private static void format(Path logDir, String clusterId) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
                new Formatter()
                        .setPrintStream(ps)
                        .setNodeId(NODE_ID)
                        .setClusterId(clusterId)
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setControllerListenerName(CONTROLLER_LISTENER)
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setUnstableFeatureVersionsEnabled(false)
                        .setIgnoreFormatted(false)
                        .setHasDynamicQuorum(false) // static quorum via controller.quorum.voters
                        .run();
            } catch (Exception e) {
                throw new IllegalStateException("Formatting Kafka storage in " + logDir + " failed", e);
            }
            LOG.debug("Formatter: {}", out.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private static final List<String> MANAGED_KEYS = List.of(
            "process.roles", "node.id", "broker.id", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "listeners", "advertised.listeners", "listener.security.protocol.map", "controller.listener.names",
            "inter.broker.listener.name", "log.dirs", "log.dir", "metadata.log.dir");

    /**
     * Reference-counted replacement of Kafka's JVM-wide {@link Exit} procedures. Holders are
     * starting builders (any object) and running brokers; the defaults are restored when the last
     * holder releases.
     */
    private static final class ExitGuard {
        private static final Set<Object> HOLDERS = new CopyOnWriteArraySet<>();

        static synchronized void acquire(Object holder) {
            if (HOLDERS.isEmpty()) {
                Exit.setExitProcedure((code, message) -> suppressed("exit", code, message));
                Exit.setHaltProcedure((code, message) -> suppressed("halt", code, message));
            }
            HOLDERS.add(holder);
        }

        static synchronized void release(Object holder) {
            if (HOLDERS.remove(holder) && HOLDERS.isEmpty()) {
                Exit.resetExitProcedure();
                Exit.resetHaltProcedure();
            }
        }

        private static void suppressed(String kind, int code, String message) {
            String what = kind + "(" + code + ")" + (message == null ? "" : ": " + message);
            LOG.error("Kafka requested JVM {}; suppressed by EmbeddedKafkaBroker (broker is now unreliable)", what,
                    new IllegalStateException("Kafka called Exit." + kind));
            for (Object h : HOLDERS) {
                if (h instanceof EmbeddedKafkaBroker) {
                    ((EmbeddedKafkaBroker) h).fatalError.compareAndSet(null, what);
                }
            }
        }
    }

    /** A listener port was taken between picking it and binding it. */
    private static final class PortConflictException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortConflictException(Throwable cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static void stopServer(KafkaRaftServer server) {
        try {
            server.shutdown();
        } catch (Throwable t) {
            LOG.warn("Error shutting down embedded Kafka", t);
        }
        try {
            server.awaitShutdown();
        } catch (Throwable t) {
            LOG.warn("Error awaiting embedded Kafka shutdown", t);
        }
    }

    private static boolean isBindFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof BindException) {
                return true;
            }
            String msg = c.getMessage();
            if (msg != null && (msg.contains("Address already in use") || msg.contains("failed to bind"))) {
                return true;
            }
        }
        return false;
    }

    /** Distinct free ports on 127.0.0.1 (all sockets are held open together so the ports differ). */
    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            InetAddress loopback = InetAddress.getByName(HOST);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket();
                sockets[i].setReuseAddress(true);
                sockets[i].bind(new InetSocketAddress(loopback, 0));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find free ports on " + HOST, e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // nothing to do
                    }
                }
            }
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) {
                        throw exc;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete embedded Kafka directory {}", root, e);
        }
    }

    private static long elapsedMillis(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0).toMillis();
    }
}
