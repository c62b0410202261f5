package dev.forecaster.model.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J registers every array buffer made outside a workspace with its deallocator service, which
 * picks a queue with commons-lang3's {@code RandomUtils.nextInt}. From commons-lang3 3.16 that
 * builds a new {@link SecureRandom} per call (a provider lookup, reflection, and the JVM-wide
 * NativePRNG lock): 6 % of a training worker's CPU and a lock both workers take, so the root pom
 * pins commons-lang3 3.14.0. This fails if a dependency update brings the per-buffer SecureRandom
 * back.
 */
class Nd4jAllocationTest {

    private static final AtomicInteger CREATED = new AtomicInteger();

    /** Counts instances and otherwise delegates to the platform's default generator. */
    public static final class CountingSpi extends SecureRandomSpi {
        private final SecureRandom delegate;

        public CountingSpi() {
            CREATED.incrementAndGet();
            try {
                delegate = SecureRandom.getInstance("NativePRNG");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            delegate.setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            delegate.nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return delegate.generateSeed(numBytes);
        }
    }

    @Test
    void buffersOutsideWorkspacesCreateNoSecureRandom() {
        Nd4j.scalar(0f); // backend initialised before counting
        Provider counting = new Provider("CountingSecureRandom", "1.0", "counts SecureRandom instances") {
            {
                put("SecureRandom.Counting", CountingSpi.class.getName());
            }
        };
        Security.insertProviderAt(counting, 1);
        try {
            new SecureRandom();
            assertEquals(1, CREATED.get(), "the counting provider is the default SecureRandom");
            CREATED.set(0);
            float sum = 0;
            for (int i = 0; i < 200; i++) {
                INDArray detached = Nd4j.createUninitializedDetached(DataType.FLOAT, 4);
                detached.assign(i);
                sum += detached.getFloat(0);
            }
            assertTrue(sum > 0);
            assertEquals(0, CREATED.get(), "SecureRandom instances made while allocating 200 ND4J buffers");
        } finally {
            Security.removeProvider(counting.getName());
        }
    }
}
