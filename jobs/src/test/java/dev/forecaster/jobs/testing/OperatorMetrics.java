package dev.forecaster.jobs.testing;

import java.util.Map;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * The metrics a harnessed operator registers, read back by name: a task metric group whose
 * operators all share one intercepting group. Give {@link #environment()} to the harness.
 */
public final class OperatorMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {

    private final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

    @Override
    public InternalOperatorMetricGroup getOrAddOperator(OperatorID operatorID, String name,
            Map<String, String> additionalVariables) {
        return operator;
    }

    public MockEnvironment environment() {
        return new MockEnvironmentBuilder().setMetricGroup(this).build();
    }

    /** The counter's count; fails when the operator registered no counter of that name. */
    public long count(String name) {
        if (!(operator.get(name) instanceof Counter counter)) {
            throw new AssertionError("no counter " + name + ": " + operator.get(name));
        }
        return counter.getCount();
    }

    /** The gauge's value; fails when the operator registered no gauge of that name. */
    public Object gauge(String name) {
        if (!(operator.get(name) instanceof Gauge<?> gauge)) {
            throw new AssertionError("no gauge " + name + ": " + operator.get(name));
        }
        return gauge.getValue();
    }
}
