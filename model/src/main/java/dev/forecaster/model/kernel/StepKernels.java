package dev.forecaster.model.kernel;

import dev.forecaster.model.CellType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the step kernel for a model's cell type. The vector kernels need {@code jdk.incubator.vector}, which a JVM only
 * resolves when started with {@code --add-modules jdk.incubator.vector}; a Flink cluster whose
 * JVM options lack the flag must still run the job, so the scalar kernel stays as a fallback.
 *
 * <p>The vector kernels ({@link VectorLstmKernel}, {@link VectorGruKernel}, {@link
 * VectorRnnKernel}) are reached only by reflection, after the module has been found in the boot
 * layer: nothing that is always loaded names them, so a JVM without the module never tries to link
 * them.
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
        /** Per cell type; empty when the vector kernels are unavailable. */
        static final Map<CellType, Constructor<?>> CONSTRUCTORS;
        static final String UNAVAILABLE;

        static {
            Map<CellType, Constructor<?>> constructors = new EnumMap<>(CellType.class);
            String why = null;
            if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
                why = MODULE + " is not in the boot layer (start the JVM with --add-modules " + MODULE + ")";
            } else {
                try {
                    for (CellType cell : CellType.values()) {
                        constructors.put(cell, Class.forName(StepKernels.class.getPackageName() + "." + className(cell))
                                .getDeclaredConstructor(CellWeights.class));
                    }
                } catch (ReflectiveOperationException | LinkageError e) {
                    constructors.clear();
                    why = "a vector kernel failed to load: " + e;
                }
            }
            CONSTRUCTORS = constructors;
            UNAVAILABLE = why;
            if (why == null) {
                LOG.info("Recurrent step kernels: vector ({} is present)", MODULE);
            } else {
                LOG.info("Recurrent step kernels: scalar unless forced otherwise, because {}", why);
            }
        }

        private static String className(CellType cell) {
            return switch (cell) {
                case LSTM -> "VectorLstmKernel";
                case GRU -> "VectorGruKernel";
                case RNN -> "VectorRnnKernel";
            };
        }
    }

    /** Whether the vector kernels can run in this JVM. */
    static boolean vectorAvailable() {
        return !Vector.CONSTRUCTORS.isEmpty();
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
    static StepKernel create(CellWeights weights) {
        String choice = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "scalar":
                return scalar(weights);
            case "vector":
                if (!vectorAvailable()) {
                    throw new IllegalStateException(
                            "-D" + PROPERTY + "=vector, but " + vectorUnavailableReason());
                }
                return vector(weights);
            case "auto":
            case "":
                return vectorAvailable() ? vector(weights) : scalar(weights);
            default:
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be auto, vector or scalar, was '" + choice + "'");
        }
    }

    static StepKernel scalar(CellWeights weights) {
        return switch (weights.spec().cellType()) {
            case LSTM -> new ScalarLstmKernel(weights);
            case GRU -> new ScalarGruKernel(weights);
            case RNN -> new ScalarRnnKernel(weights);
        };
    }

    /** @throws IllegalStateException when the vector kernel is unavailable */
    static StepKernel vector(CellWeights weights) {
        if (!vectorAvailable()) {
            throw new IllegalStateException(vectorUnavailableReason());
        }
        try {
            return (StepKernel) Vector.CONSTRUCTORS.get(weights.spec().cellType()).newInstance(weights);
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
