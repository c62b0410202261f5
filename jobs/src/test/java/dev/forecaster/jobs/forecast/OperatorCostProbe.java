package dev.forecaster.jobs.forecast;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.forecaster.jobs.io.IngestDeserializer;
import dev.forecaster.jobs.io.IngestRecordTypeInfo;
import dev.forecaster.jobs.testing.Observations;
import dev.forecaster.jobs.testing.TestModels;
import dev.forecaster.model.anomaly.AlertPolicy;
import dev.forecaster.model.anomaly.AnomalyScorer;
import dev.forecaster.model.kernel.LstmForecaster;
import dev.forecaster.model.kernel.RecurrentState;
import dev.forecaster.model.series.ModelPolicy;
import dev.forecaster.model.series.SeriesProcessor;
import dev.forecaster.model.series.SeriesState;
import dev.forecaster.schema.Forecast;
import dev.forecaster.schema.IngestRecord;
import dev.forecaster.schema.Observation;
import dev.forecaster.schema.codec.AvroCodec;

/**
 * Where one record's time goes on its way through the forecast operator, H = 64, horizon 24,
 * Gaussian head, 1024 keys in a scattered order, one JVM, parts' rounds interleaved: {@code kernel}
 * ({@code LstmForecaster.step} alone), {@code processor} ({@code SeriesProcessor.observe}: scaling,
 * scoring, alert policy, kernel, de-scaling), {@code operator} ({@link ForecastFunction} in Flink's
 * keyed test harness on the heap state backend, outputs collected and dropped), {@code state} (one
 * {@link SeriesStateSerializer} round trip, what RocksDB adds per record), {@code avro} (encoding
 * the emitted {@link Forecast}, what the Kafka sink adds) and {@code ingest} ({@link
 * IngestDeserializer} on one Kafka record: decoding and validating an {@link Observation}) and
 * {@code copy} (Flink's Avro serializer copying a {@link Forecast}, which a chained sink costs
 * while object reuse is off) and {@code edge} (writing and reading an {@link IngestRecord} with the
 * keyBy edge's serializer; {@code -Dprobe.avroEdge=true} times Flink's Avro serializer instead). Not a test: the figures behind
 * docs/kernel.md "What the kernel is of a record's cost".
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseG1GC \
 *   -cp "jobs/target/classes:jobs/target/test-classes:jobs/target/lib/*" \
 *   dev.forecaster.jobs.forecast.OperatorCostProbe [part ...]
 * </pre>
 *
 * Arguments pick parts (all by default); {@code -Dprobe.point=true} serves a point head instead.
 */
public final class OperatorCostProbe {

    private static final int HIDDEN = 64;
    private static final int HORIZON = 24;
    private static final int KEYS = 1024;
    private static final int EVENTS = 1 << 16;

    private OperatorCostProbe() {}

    public static void main(String[] args) throws Exception {
        LstmForecaster model = Boolean.getBoolean("probe.point") ? TestModels.randomLstm(HIDDEN, HORIZON, 1L, 7L) : TestModels.randomGaussianLstm(HIDDEN, HORIZON, 1L, 7L);
        SplittableRandom random = new SplittableRandom(5);
        int[] order = new int[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            order[i] = random.nextInt(KEYS);
        }
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            keys.add("sensor-" + k);
        }
        // Each key's own hourly clock, so that every record is on time for its series.
        long[] clock = new long[KEYS];
        IngestRecord[] records = new IngestRecord[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            int k = order[i];
            records[i] = Observations.ingest(Observations.of(keys.get(k),
                    Observations.START + clock[k]++ * Observations.STEP, 50 + 10 * random.nextDouble()), i);
        }

        RecurrentState[] recurrent = new RecurrentState[KEYS];
        SeriesState[] series = new SeriesState[KEYS];
        SeriesProcessor processor = new SeriesProcessor(ModelPolicy.fixed(model), AnomalyScorer.defaults());
        for (int k = 0; k < KEYS; k++) {
            recurrent[k] = model.newState();
            series[k] = processor.newState();
        }
        float[] in = new float[1];
        float[] out = new float[model.spec().outputs()];

        var harness = new KeyedOneInputStreamOperatorTestHarness<String, IngestRecord, Forecast>(
                new KeyedProcessOperator<>(new ForecastFunction(model, Long.MAX_VALUE / 4, AlertPolicy.defaults())),
                r -> r.getObservation().getSeriesId(), Types.STRING);
        harness.open();
        System.out.println("kernel " + model.kernelDescription() + ", outputs " + model.spec().outputs());

        DataOutputSerializer bytes = new DataOutputSerializer(4096);
        DataInputDeserializer reader = new DataInputDeserializer();
        AvroCodec<Forecast> codec = AvroCodec.of(Forecast.getClassSchema());
        List<Forecast> forecasts = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            IngestRecord r = records[i];
            SeriesProcessor.Step step = processor.observe(series[order[i]],
                    r.getObservation().getEventTime().toEpochMilli(), r.getObservation().getValue());
            forecasts.add(ForecastFunction.toForecast(r.getObservation(), series[order[i]], step, 0L));
        }

        AvroCodec<Observation> observationCodec = AvroCodec.of(Observation.getClassSchema());
        List<ConsumerRecord<byte[], byte[]>> kafkaRecords = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            Observation o = records[i].getObservation();
            kafkaRecords.add(new ConsumerRecord<>("observations", 0, i,
                    o.getSeriesId().toString().getBytes(StandardCharsets.UTF_8), observationCodec.encode(o)));
        }
        IngestDeserializer ingest = new IngestDeserializer();
        long[] ingested = new long[1];
        Collector<IngestRecord> counter = new Collector<>() {
            @Override
            public void collect(IngestRecord record) {
                ingested[0] += record.getObservation() == null ? 0 : 1;
            }

            @Override
            public void close() {}
        };

        TypeSerializer<Forecast> forecastSerializer =
                new AvroTypeInfo<>(Forecast.class).createSerializer(new SerializerConfigImpl());

        TypeSerializer<IngestRecord> ingestSerializer = Boolean.getBoolean("probe.avroEdge")
                ? new AvroTypeInfo<>(IngestRecord.class).createSerializer(new SerializerConfigImpl())
                : IngestRecordTypeInfo.INSTANCE.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer edgeOut = new DataOutputSerializer(256);
        DataInputDeserializer edgeIn = new DataInputDeserializer();

        String[] parts = args.length > 0 ? args : new String[] {"kernel", "processor", "operator", "state", "avro", "ingest", "copy", "edge"};
        int[] cursor = new int[parts.length];
        double sink = 0;
        StringBuilder lines = new StringBuilder();
        for (int round = -6; round < 10; round++) {
            StringBuilder line = new StringBuilder("ns per record:");
            for (int p = 0; p < parts.length; p++) {
                long t0 = System.nanoTime();
                long n = 0;
                while (System.nanoTime() - t0 < 100_000_000L) {
                    for (int rep = 0; rep < 1000; rep++, n++) {
                        int e = cursor[p]++ & (EVENTS - 1);
                        int k = order[e];
                        switch (parts[p]) {
                            case "kernel" -> {
                                in[0] = (float) records[e].getObservation().getValue() * 0.01f;
                                model.step(recurrent[k], in, out);
                                sink += out[0];
                            }
                            case "processor" -> {
                                // Times only advance per key; a replay of the record array repeats old
                                // times, which the processor takes as duplicates, a normal path.
                                SeriesProcessor.Step step = processor.observe(series[k],
                                        records[e].getObservation().getEventTime().toEpochMilli(),
                                        records[e].getObservation().getValue());
                                sink += step.means()[0];
                            }
                            case "operator" -> {
                                IngestRecord r = records[e];
                                harness.processElement(new StreamRecord<>(r, r.getObservation().getEventTime().toEpochMilli()));
                                if ((n & 255) == 0) {
                                    harness.getOutput().clear();
                                }
                            }
                            case "state" -> {
                                bytes.clear();
                                SeriesStateSerializer.INSTANCE.serialize(series[k], bytes);
                                reader.setBuffer(bytes.getSharedBuffer(), 0, bytes.length());
                                sink += SeriesStateSerializer.INSTANCE.deserialize(reader).observations;
                            }
                            case "avro" -> sink += codec.encode(forecasts.get(e & 4095)).length;
                            case "ingest" -> ingest.deserialize(kafkaRecords.get(e & 4095), counter);
                            case "edge" -> {
                                edgeOut.clear();
                                ingestSerializer.serialize(records[e], edgeOut);
                                edgeIn.setBuffer(edgeOut.getSharedBuffer(), 0, edgeOut.length());
                                sink += ingestSerializer.deserialize(edgeIn).getSourceOffset();
                            }
                            case "copy" -> sink += forecastSerializer.copy(forecasts.get(e & 4095)).getStepMillis();
                            default -> throw new IllegalArgumentException(parts[p]);
                        }
                    }
                }
                line.append(' ').append(parts[p]).append('=')
                        .append(String.format("%.0f", (System.nanoTime() - t0) / (double) n));
                harness.getOutput().clear();
            }
            if (round >= 0) {
                lines.append(line).append('\n');
                System.out.println(line);
            }
        }
        harness.close();
        // Printing the sink keeps C2 from dropping the timed work.
        System.out.println("checksum " + sink + " " + ingested[0]);
    }
}
