package dev.forecaster.model.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;

/**
 * Chooses the step kernel. The vector kernel needs {@code jdk.incubator.vector}, which a JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}; a Flink cluster whose
 * JVM options lack the flag must still run the job, so the scalar kernel stays as a fallback.
 *
 * <p>{@link VectorLstmKernel} is reached only by reflection, after the module has been found in
 * the boot layer: nothing that is always loaded names it, so a JVM without the module never tries
 * to link it.
 *
 * <p>{@value #PROPERTY} overrides the choice: {@code auto} (default), {@code scalar}, or {@code
 * vector} (fails when the module is missing, for deployments that would rather not run slowly).
 */
final class StepKernels {

    static final String PROPERTY = "forecaster.kernel";
    static final String MODULE = "jdk.incubator.vector";

    private static final Logger LOG = LoggerFactory.getLogger(StepKernels.class);

    private StepKernels() {}

    /** Resolved once per JVM: the boot layer cannot change after start-up. */
    private static final class Vector {
        static final Constructor<?> CONSTRUCTOR;
        static final String UNAVAILABLE;

        static {
            Constructor<?> constructor = null;
            String why = null;
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                why = MODULE + " is not in the boot layer (start the JVM with --add-modules " + MODULE + ")";
            } else {
                try {
                    constructor = Class.forName(StepKernels.class.getPackageName() + ".VectorLstmKernel")
                            .getDeclaredConstructor(LstmWeights.class);
                } catch (ReflectiveOperationException | LinkageError e) {
                    why = "the vector kernel failed to load: " + e;
                }
            }
            CONSTRUCTOR = constructor;
            UNAVAILABLE = why;
            if (why == null) {
                LOG.info("LSTM step kernel: vector ({} is present)", MODULE);
            } else {
                LOG.info("LSTM step kernel: scalar unless forced otherwise, because {}", why);
            }
        }
    }

    /** Whether the vector kernel can run in this JVM. */
    static boolean vectorAvailable() {
        return Vector.CONSTRUCTOR != null;
    }

    /** Why the vector kernel cannot run, or null when it can. */
    static String vectorUnavailableReason() {
        return Vector.UNAVAILABLE;
    }

    /**
     * The kernel {@value #PROPERTY} asks for. The property is read on every call (models are built
     * rarely) so that tests and tools can switch it without a new JVM.
     *
     * @throws IllegalStateException when {@code vector} is forced but unavailable
     * @throws IllegalArgumentException when the property has an unknown value
     */
    static StepKernel create(LstmWeights weights) {
        String choice = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "scalar":
                return new ScalarLstmKernel(weights);
            case "vector":
                if (!vectorAvailable()) {
                    throw new IllegalStateException(
                            "-D" + PROPERTY + "=vector, but " + vectorUnavailableReason());
                }
                return vector(weights);
            case "auto":
            case "":
                return vectorAvailable() ? vector(weights) : new ScalarLstmKernel(weights);
            default:
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be auto, vector or scalar, was '" + choice + "'");
        }
    }

    static StepKernel scalar(LstmWeights weights) {
        return new ScalarLstmKernel(weights);
    }

    /** @throws IllegalStateException when the vector kernel is unavailable */
    static StepKernel vector(LstmWeights weights) {
        if (!vectorAvailable()) {
            throw new IllegalStateException(vectorUnavailableReason());
        }
        try {
            return (StepKernel) Vector.CONSTRUCTOR.newInstance(weights);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("Cannot build the vector kernel", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build the vector kernel", e);
        }
    }
}
