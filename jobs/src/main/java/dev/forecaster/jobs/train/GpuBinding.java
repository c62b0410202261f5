package dev.forecaster.jobs.train;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * Binds a training worker's thread to the GPU Flink's external-resource framework assigned to its
 * slot ({@code external-resource.gpu.*} in the Flink configuration). With the default CPU backend,
 * or when Flink assigns no GPU, nothing is bound and the worker trains on one CPU thread.
 */
final class GpuBinding {

    private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);

    private GpuBinding() {}

    /** @return the device index bound, if any */
    static Optional<Integer> bind(RuntimeContext context) {
        Set<ExternalResourceInfo> gpus = context.getExternalResourceInfos("gpu");
        if (gpus.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> index = gpus.iterator().next().getProperty("index").map(Integer::parseInt);
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        if (index.isPresent() && backend.toLowerCase().contains("cuda")) {
            Nd4j.getAffinityManager().unsafeSetDevice(index.get());
            LOG.info("Worker bound to GPU {} ({})", index.get(), backend);
            return index;
        }
        LOG.warn("Flink assigned GPU {} but the ND4J backend is {}; training on the CPU (build with -Pcuda)",
                index.orElse(-1), backend);
        return Optional.empty();
    }
}
