package dev.forecaster.model.snapshot;

import dev.forecaster.schema.ModelSnapshot;
import dev.forecaster.schema.codec.AvroCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Model snapshot files: one Avro single-object encoded {@link ModelSnapshot} per file, so a
 * reader can tell from the header which schema version wrote it.
 */
public final class SnapshotFiles {

    private SnapshotFiles() {}

    /**
     * Writes the snapshot next to {@code file} and renames it into place, so that a process
     * watching the directory never loads a half-written model.
     */
    public static void write(ModelSnapshot snapshot, Path file) throws IOException {
        byte[] bytes = codec().encode(snapshot);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when the file is not a readable model snapshot; the message names the
     *     file
     */
    public static ModelSnapshot read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            NoSuchFileException clear =
                    new NoSuchFileException(file.toString(), null, "model snapshot file not found");
            clear.initCause(e);
            throw clear;
        }
        try {
            return codec().decode(bytes);
        } catch (IOException e) {
            throw new IOException(
                    "Not a valid model snapshot file: " + file + " (" + bytes.length + " bytes): "
                            + e.getMessage(), e);
        }
    }

    /** Row-major float32, little-endian. */
    public static byte[] floatsToBytes(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    /** Reads the remaining bytes as little-endian float32 without moving the buffer's position. */
    public static float[] bytesToFloats(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (view.remaining() % Float.BYTES != 0) {
            throw new IllegalArgumentException(
                    "Tensor data has " + view.remaining() + " bytes, not a multiple of 4");
        }
        FloatBuffer floats = view.asFloatBuffer();
        float[] out = new float[floats.remaining()];
        floats.get(out);
        return out;
    }

    private static AvroCodec<ModelSnapshot> codec() {
        // Codecs are not thread-safe and cheap next to file IO, so each call gets its own.
        return AvroCodec.of(ModelSnapshot.getClassSchema());
    }
}
