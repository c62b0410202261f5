package dev.forecaster.schema.codec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import dev.forecaster.schema.Observation;

/**
 * The hand-written {@link Observation} reader returns what Avro's decoder returns, bit for bit,
 * and fails where Avro fails: on valid bodies, on Avro's other legal encodings of the same values
 * (map blocks with byte sizes, several blocks, over-long varints), and on thousands of truncated,
 * mutated and padded ones.
 */
class ObservationBodyReaderTest {

    private static final double[] AWKWARD = {
        0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
        Double.MAX_VALUE, -1e-300, 123456.789, Double.longBitsToDouble(0x7ff0_0000_dead_beefL)
    };
    private static final long[] AWKWARD_LONGS = {0, -1, 1, 63, 64, -64, -65, Long.MAX_VALUE, Long.MIN_VALUE};
    private static final String[] IDS = {"", "sensor-7", "Zähler/Ost ⚡", "ключ", "x".repeat(300), "\uD83D\uDE00 emoji"};

    private final AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
    private final BinaryMessageDecoder<Observation> avro = new BinaryMessageDecoder<>(
            SpecificData.getForSchema(Observation.getClassSchema()), Observation.getClassSchema(), BundledSchemas.store());

    @Test
    void followsTheCurrentSchema() {
        assertEquals(ObservationBodyReader.OBSERVATION_V1,
                SchemaNormalization.parsingFingerprint64(Observation.getClassSchema()),
                "Observation.avsc changed: make ObservationBodyReader read the new fields, in schema order, "
                        + "and give it the new fingerprint");
        assertTrue(codec.usesBodyReader());
    }

    @Test
    void readsWhatAvroReads() throws IOException {
        Random random = new Random(11);
        for (int i = 0; i < 5000; i++) {
            byte[] bytes = codec.encode(randomObservation(random, i));
            assertSame(avro.decode(bytes), codec.decode(bytes), i);
        }
    }

    @Test
    void readsAvrosOtherEncodingsOfAMap() throws IOException {
        Map<String, Double> features = new HashMap<>();
        features.put("temp", 21.5);
        features.put("load", -0.0);
        features.put("Zähler", Double.NaN);
        // Header and the fields before the union, taken from an encoding without features.
        byte[] plain = codec.encode(new Observation("s", Instant.ofEpochMilli(5), 1.0, null));
        byte[] head = Arrays.copyOf(plain, plain.length - 1);
        String[] keys = features.keySet().toArray(new String[0]);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head);
        body.writeBytes(zigzag(1));
        // One block with its byte size (negative count), then an over-long varint count of 2, then the end.
        byte[] first = entry(keys[0], features.get(keys[0]));
        body.writeBytes(zigzag(-1));
        body.writeBytes(zigzag(first.length));
        body.writeBytes(first);
        body.writeBytes(new byte[] {(byte) 0x84, (byte) 0x80, (byte) 0x80, 0x00});
        body.writeBytes(entry(keys[1], features.get(keys[1])));
        body.writeBytes(entry(keys[2], features.get(keys[2])));
        body.writeBytes(zigzag(0));
        byte[] bytes = body.toByteArray();
        Observation expected = avro.decode(bytes);
        assertEquals(features, expected.getFeatures());
        assertSame(expected, codec.decode(bytes), 0);
    }

    @Test
    void failsWhereAvroFailsAndAgreesWhereItDoesNot() throws IOException {
        Random random = new Random(5);
        int failures = 0;
        int cases = 0;
        for (int i = 0; i < 400; i++) {
            byte[] valid = codec.encode(randomObservation(random, i));
            for (int cut = 10; cut < valid.length; cut++) {
                failures += compare(Arrays.copyOf(valid, cut), i);
                cases++;
            }
            for (int m = 0; m < 20; m++) {
                byte[] mutated = valid.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips && mutated.length > 10; f++) {
                    mutated[10 + random.nextInt(mutated.length - 10)] = (byte) random.nextInt(256);
                }
                failures += compare(mutated, i);
                byte[] padded = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(8));
                for (int p = valid.length; p < padded.length; p++) {
                    padded[p] = (byte) random.nextInt(256);
                }
                failures += compare(padded, i);
                cases += 2;
            }
        }
        // Both outcomes occurred, so the comparison was not vacuous.
        assertTrue(failures > cases / 10 && failures < cases, failures + " failures of " + cases);
    }

    @Test
    void rejectsLengthsAndCountsTheBytesCannotHold() throws IOException {
        byte[] plain = codec.encode(new Observation("s", Instant.ofEpochMilli(5), 1.0, null));
        byte[] head = Arrays.copyOf(plain, plain.length - 1);
        // A map block claiming 2^40 entries in a few bytes: an error, not an allocation.
        byte[] huge = concat(head, zigzag(1), zigzag(1L << 40), entry("a", 1.0));
        assertThrows(IOException.class, () -> codec.decode(huge));
        byte[] negative = concat(Arrays.copyOf(plain, 10), zigzag(-3), "abc".getBytes(StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> codec.decode(negative));
        byte[] branch = concat(head, zigzag(2));
        assertThrows(IOException.class, () -> codec.decode(branch));
        // A first map block whose negated count overflows: Avro reads an empty map (its check of the
        // first count casts to int without a sign test); in a later block it is an error.
        byte[] minCount = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
        byte[] emptyByOverflow = concat(head, zigzag(1), minCount, zigzag(0));
        assertEquals(Map.of(), assertDoesNotThrow(() -> avro.decode(emptyByOverflow)).getFeatures());
        assertSame(avro.decode(emptyByOverflow), codec.decode(emptyByOverflow), 0);
        byte[] laterOverflow = concat(head, zigzag(1), zigzag(1), entry("a", 1.0), minCount, zigzag(0));
        assertThrows(Exception.class, () -> avro.decode(laterOverflow));
        assertThrows(IOException.class, () -> codec.decode(laterOverflow));
        // A union branch in six varint bytes: Avro's ints take at most five.
        byte[] tooLongInt = concat(head, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00});
        assertThrows(Exception.class, () -> avro.decode(tooLongInt));
        assertThrows(IOException.class, () -> codec.decode(tooLongInt));
        byte[] fiveBytes = concat(head, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00});
        assertNull(assertDoesNotThrow(() -> codec.decode(fiveBytes)).getFeatures());
        // A string's length is a long to Avro: ten varint bytes are legal, eleven are not.
        byte[] rest = Arrays.copyOfRange(plain, 12, plain.length);
        byte[] tenBytes = concat(Arrays.copyOf(plain, 10), longVarint(2, 10), new byte[] {'s', 'x'}, rest);
        assertEquals("sx", assertDoesNotThrow(() -> avro.decode(tenBytes)).getSeriesId());
        assertEquals("sx", assertDoesNotThrow(() -> codec.decode(tenBytes)).getSeriesId());
        byte[] elevenBytes = concat(Arrays.copyOf(plain, 10), longVarint(2, 11), new byte[] {'s', 'x'}, rest);
        assertThrows(Exception.class, () -> avro.decode(elevenBytes));
        assertThrows(IOException.class, () -> codec.decode(elevenBytes));
    }

    @Test
    void anOlderWriterSchemaIsResolvedByAvro() throws IOException {
        Schema v2 = new Schema.Parser().parse(getClass().getResourceAsStream("/evolution/Observation-v2.avsc"));
        GenericRecord record = new GenericData.Record(v2);
        record.put("seriesId", "s-1");
        record.put("eventTime", 1_700_000_000_000L);
        record.put("value", 2.5);
        record.put("features", null);
        record.put("quality", "good");
        byte[] body = concat(header(v2), binary(v2, record));
        BinaryMessageDecoder<Observation> withV2 = new BinaryMessageDecoder<>(
                SpecificData.getForSchema(Observation.getClassSchema()), Observation.getClassSchema());
        withV2.addSchema(v2);
        // The fast path only takes its own fingerprint; this header falls through to Avro's decoder,
        // which knows v2 only when it is bundled, so the codec must agree with Avro either way.
        Observation expected = null;
        try {
            expected = withV2.decode(body);
        } catch (RuntimeException | IOException e) {
            fail("Avro cannot read the v2 fixture", e);
        }
        assertEquals("s-1", expected.getSeriesId());
        try {
            Observation read = codec.decode(body);
            assertSame(expected, read, 0);
        } catch (IOException e) {
            assertThrows(Exception.class, () -> avro.decode(body));
        }
    }

    /** 1 when both fail, 0 when both return equal records; a test failure otherwise. */
    private int compare(byte[] bytes, int i) {
        Observation expected;
        try {
            expected = avro.decode(bytes);
        } catch (Exception e) {
            assertThrows(IOException.class, () -> codec.decode(bytes), () -> "Avro failed (" + e + ") on case " + i
                    + " but the reader did not: " + Arrays.toString(bytes));
            return 1;
        }
        try {
            assertSame(expected, codec.decode(bytes), i);
        } catch (IOException e) {
            fail("the reader failed where Avro read " + expected + ": " + Arrays.toString(bytes), e);
        }
        return 0;
    }

    /**
     * Equal fields, doubles bit for bit. (Not Observation.equals: Avro's record equality holds a NaN
     * value unequal to itself.)
     */
    private static void assertSame(Observation expected, Observation actual, int i) {
        assertEquals(expected.getSeriesId(), actual.getSeriesId(), () -> "case " + i);
        assertEquals(expected.getEventTime(), actual.getEventTime(), () -> "case " + i);
        assertEquals(Double.doubleToRawLongBits(expected.getValue()), Double.doubleToRawLongBits(actual.getValue()),
                () -> "case " + i);
        if (expected.getFeatures() == null) {
            assertNull(actual.getFeatures());
            return;
        }
        assertEquals(expected.getFeatures().keySet(), actual.getFeatures().keySet());
        expected.getFeatures().forEach((k, v) -> assertEquals(Double.doubleToRawLongBits(v),
                Double.doubleToRawLongBits(actual.getFeatures().get(k)), () -> "feature " + k));
        assertFalse(actual.getFeatures() == expected.getFeatures());
    }

    /** A JVM that sets Avro's decoding limits gets Avro's decoder, which applies them. */
    @Test
    void avroLimitsTurnTheReaderOff() throws Exception {
        String cp = System.getProperty("java.class.path");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dorg.apache.avro.limits.string.maxLength=4", "-cp", cp, LimitsProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("reader=false rejected=true"), output);
    }

    /** Run in a child JVM by {@link #avroLimitsTurnTheReaderOff}. */
    public static final class LimitsProbe {
        public static void main(String[] args) {
            AvroCodec<Observation> codec = AvroCodec.of(Observation.getClassSchema());
            boolean rejected;
            try {
                codec.decode(codec.encode(new Observation("sensor-7", Instant.EPOCH, 1.0, null)));
                rejected = false;
            } catch (IOException e) {
                rejected = true;
            }
            System.out.println("reader=" + codec.usesBodyReader() + " rejected=" + rejected);
        }
    }

    private static Observation randomObservation(Random random, int i) {
        Map<String, Double> features = null;
        if (i % 3 != 0) {
            features = new HashMap<>();
            int n = i % 5 == 0 ? 0 : random.nextInt(6);
            for (int k = 0; k < n; k++) {
                features.put(IDS[(i + k) % IDS.length] + k, k % 4 == 0 ? AWKWARD[(i + k) % AWKWARD.length] : random.nextGaussian());
            }
        }
        long time = i % 7 == 0 ? AWKWARD_LONGS[i % AWKWARD_LONGS.length] : random.nextLong() >> random.nextInt(40);
        return new Observation(IDS[i % IDS.length] + (i % 2 == 0 ? "" : Integer.toString(i)), Instant.ofEpochMilli(time),
                i % 2 == 0 ? AWKWARD[i % AWKWARD.length] : random.nextGaussian() * 1e3, features);
    }

    private static byte[] entry(String key, double value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(zigzag(k.length));
        out.writeBytes(k);
        long bits = Double.doubleToRawLongBits(value);
        for (int b = 0; b < 8; b++) {
            out.write((int) (bits >>> (8 * b)));
        }
        return out.toByteArray();
    }

    /** The zig-zag varint of a small {@code v} padded to {@code length} bytes with continuation bits. */
    private static byte[] longVarint(int v, int length) {
        byte[] out = new byte[length];
        out[0] = (byte) (v << 1 | 0x80);
        for (int i = 1; i < length - 1; i++) {
            out[i] = (byte) 0x80;
        }
        out[length - 1] = 0;
        return out;
    }

    private static byte[] zigzag(long v) {
        long n = (v << 1) ^ (v >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    private static byte[] header(Schema schema) {
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        byte[] h = new byte[10];
        h[0] = (byte) 0xC3;
        h[1] = 0x01;
        for (int b = 0; b < 8; b++) {
            h[2 + b] = (byte) (fp >>> (8 * b));
        }
        return h;
    }

    private static byte[] binary(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
