package vn.lantern.ingest.bench;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.PayloadFormat;
import vn.lantern.common.telemetry.PayloadRejectedException;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.ReadingValidator;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.common.telemetry.TelemetryDecoder;
import vn.lantern.common.telemetry.TelemetryLimits;
import vn.lantern.ingest.store.LineProtocol;

/**
 * The per-message CPU cost of ingest outside the network: decode + validate a payload, then turn
 * the readings into InfluxDB line protocol. Run with {@code ./lantern bench hotpath} (add {@code
 * -prof gc} for allocation per operation). Not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestHotPathBenchmark {
  private static final DeviceRef DEVICE =
      new DeviceRef("dnd-ww-01", "wastewater", "kcn-dien-nam-dien-ngoc", "Trạm xử lý, khu A");
  private static final String[] METRICS = {"ph", "cod", "tss", "nh4", "temperature", "flow_in"};

  /** Payload shape: one reading time with six metrics, or a batch of 50 times. */
  @Param({"LANTERN_JSON_1", "LANTERN_JSON_50", "SENML_JSON_6", "SENML_CBOR_6"})
  public String payload;

  private byte[] bytes;
  private PayloadFormat format;
  private long now;
  private TelemetryDecoder decoder;
  private ReadingValidator validator;
  private TelemetryBatch batch;
  private final ByteBuf lines = Unpooled.buffer(64 * 1024);

  @Setup
  public void setUp() throws Exception {
    TelemetryLimits limits = TelemetryLimits.defaults();
    decoder = new TelemetryDecoder(limits);
    validator = new ReadingValidator(limits);
    now = System.currentTimeMillis();
    switch (payload) {
      case "LANTERN_JSON_1" -> {
        bytes = lanternJson(1);
        format = PayloadFormat.LANTERN_JSON;
      }
      case "LANTERN_JSON_50" -> {
        bytes = lanternJson(50);
        format = PayloadFormat.LANTERN_JSON;
      }
      case "SENML_JSON_6" -> {
        bytes = senmlJson();
        format = PayloadFormat.SENML_JSON;
      }
      case "SENML_CBOR_6" -> {
        bytes = senmlCbor();
        format = PayloadFormat.SENML_CBOR;
      }
      default -> throw new IllegalArgumentException(payload);
    }
    batch = new TelemetryBatch(DEVICE, decoder.decode(bytes, format, now), "mqtt");
  }

  /** Decode and validate one message. */
  @Benchmark
  public List<Reading> decodeAndValidate() throws PayloadRejectedException {
    List<Reading> readings = decoder.decode(bytes, format, now);
    validator.validate(readings, now);
    return readings;
  }

  /** Turn one message's readings into line protocol in a reused buffer, as the writer does. */
  @Benchmark
  public void encodeLineProtocol(Blackhole sink) {
    lines.clear();
    sink.consume(LineProtocol.append(lines, batch));
    sink.consume(lines);
  }

  private byte[] lanternJson(int times) {
    StringBuilder json = new StringBuilder(times > 1 ? "[" : "");
    for (int t = 0; t < times; t++) {
      json.append(t > 0 ? "," : "").append("{\"ts\":").append(now - 1000L * t).append(",\"m\":{");
      for (int i = 0; i < METRICS.length; i++) {
        json.append(i > 0 ? "," : "").append('"').append(METRICS[i]).append("\":").append(7.25 + i);
      }
      json.append("}}");
    }
    return json.append(times > 1 ? "]" : "").toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] senmlJson() {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < METRICS.length; i++) {
      json.append(i > 0 ? "," : "");
      if (i == 0) {
        json.append("{\"bn\":\"urn:dev:dnd-ww-01:\",\"bt\":").append(now / 1000.0).append(',');
      } else {
        json.append('{');
      }
      json.append("\"n\":\"").append(METRICS[i]).append("\",\"v\":").append(7.25 + i).append('}');
    }
    return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] senmlCbor() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
      g.writeStartArray();
      for (int i = 0; i < METRICS.length; i++) {
        g.writeStartObject();
        if (i == 0) {
          g.writeFieldId(-2);
          g.writeString("urn:dev:dnd-ww-01:");
          g.writeFieldId(-3);
          g.writeNumber(now / 1000.0);
        }
        g.writeFieldId(0);
        g.writeString(METRICS[i]);
        g.writeFieldId(2);
        g.writeNumber(7.25 + i);
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return out.toByteArray();
  }
}
