package dev.forecaster.jobs.runtime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small Admin-client helpers for creating and inspecting topics. */
public final class KafkaTopics {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    /** Default time to wait for topic creation and visibility. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private KafkaTopics() {
    }

    /** {@link #create(String, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void create(String bootstrapServers, List<TopicSpec> topics) {
        create(bootstrapServers, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the given topics (replication factor = broker default) and waits until every
     * partition of every topic has a leader in the metadata returned by the broker.
     *
     * <p>Idempotent: a topic that already exists is left as it is (its partitions and configs are
     * not changed; a differing partition count is logged as a warning).
     *
     * @throws IllegalStateException if creation fails or the topics do not become visible in time
     */
    public static void create(String bootstrapServers, List<TopicSpec> topics, Duration timeout) {
        if (topics.isEmpty()) {
            return;
        }
        ensureUniqueNames(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminProps(bootstrapServers, timeout))) {
            List<NewTopic> newTopics = new ArrayList<>(topics.size());
            for (TopicSpec spec : topics) {
                newTopics.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
                        .configs(spec.configs()));
            }
            Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
            for (TopicSpec spec : topics) {
                try {
                    results.get(spec.name()).get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                    LOG.debug("Created topic {} ({} partitions, configs {})",
                            spec.name(), spec.partitions(), spec.configs());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        LOG.debug("Topic {} already exists", spec.name());
                    } else {
                        throw new IllegalStateException("Failed to create topic " + spec.name(), e.getCause());
                    }
                }
            }
            awaitVisible(admin, topics, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + timeout + " creating topics " + names(topics), e);
        }
    }

    /**
     * All config entries of a topic as the broker reports them (explicit overrides and defaults),
     * name → value; entries with a {@code null} value (sensitive or unset) are omitted.
     */
    public static Map<String, String> describeConfig(String bootstrapServers, String topic) {
        return describeConfig(bootstrapServers, topic, false);
    }

    /**
     * Like {@link #describeConfig(String, String)}; with {@code overridesOnly} only entries set
     * on the topic itself ({@link ConfigEntry.ConfigSource#DYNAMIC_TOPIC_CONFIG}) are returned.
     */
    public static Map<String, String> describeConfig(String bootstrapServers, String topic, boolean overridesOnly) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(adminProps(bootstrapServers, DEFAULT_TIMEOUT))) {
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            Map<String, String> out = new TreeMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.value() == null) {
                    continue;
                }
                if (overridesOnly && entry.source() != ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    continue;
                }
                out.put(entry.name(), entry.value());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Failed to describe config of topic " + topic, cause);
        }
    }

    private static void awaitVisible(Admin admin, List<TopicSpec> topics, long deadline)
            throws InterruptedException, TimeoutException {
        Set<String> names = topics.stream().map(TopicSpec::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        Map<String, Integer> wanted = new LinkedHashMap<>();
        topics.forEach(t -> wanted.put(t.name(), t.partitions()));
        long backoffMs = 20;
        Throwable last = null;
        while (true) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
                if (allLeadersKnown(descriptions.values())) {
                    for (TopicDescription d : descriptions.values()) {
                        int want = wanted.get(d.name());
                        if (d.partitions().size() != want) {
                            LOG.warn("Topic {} already existed with {} partitions (requested {}); left unchanged",
                                    d.name(), d.partitions().size(), want);
                        }
                    }
                    return;
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (!(cause instanceof UnknownTopicOrPartitionException) && !(cause instanceof RetriableException)) {
                    throw new IllegalStateException("Failed to describe topics " + names, cause);
                }
                last = cause;
            }
            if (remainingMillis(deadline) <= 0) {
                TimeoutException te = new TimeoutException("Topics " + names + " not visible in time");
                if (last != null) {
                    te.initCause(last);
                }
                throw te;
            }
            Thread.sleep(Math.min(backoffMs, Math.max(1, remainingMillis(deadline))));
            backoffMs = Math.min(backoffMs * 2, 500);
        }
    }

    private static boolean allLeadersKnown(Collection<TopicDescription> descriptions) {
        for (TopicDescription d : descriptions) {
            if (d.partitions().isEmpty()) {
                return false;
            }
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Properties adminProps(String bootstrapServers, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "forecaster-topics-admin");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1000, timeout.toMillis()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 30_000));
        return props;
    }

    private static void ensureUniqueNames(List<TopicSpec> topics) {
        Set<String> seen = new java.util.HashSet<>();
        for (TopicSpec t : topics) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("Duplicate topic name in request: " + t.name());
            }
        }
    }

    private static List<String> names(List<TopicSpec> topics) {
        return topics.stream().map(TopicSpec::name).collect(Collectors.toList());
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}
