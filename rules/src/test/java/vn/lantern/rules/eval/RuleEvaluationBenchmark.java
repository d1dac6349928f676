package vn.lantern.rules.eval;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.rules.Directory;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.rule.RuleJson;

/**
 * CPU cost the rules engine adds per reading: one batch of one reading from one of 10,000 devices
 * (round robin) evaluated against 0, 100 or 1,000 rules spread over 8 zones and 4 device types
 * (threshold with hysteresis, sliding 1-minute average, any-of, absence). Run as described in
 * {@code docs/benchmarks.md}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {
  private static final String[] ZONES = {
    "tam-ky", "hoi-an", "dien-ban", "kcn-dien-nam-dien-ngoc",
    "kcn-thuan-yen", "kcn-tam-thang", "kcn-bac-chu-lai", "kcn-tam-hiep"
  };
  private static final String[] TYPES = {"air_quality", "water_level", "wastewater", "noise"};
  private static final String[] METRICS = {"pm25", "level", "cod", "laeq"};
  private static final int DEVICES = 10_000;

  @Param({"0", "100", "1000"})
  public int rules;

  private Vertx vertx;
  private RuleEngine engine;
  private DeviceRef[] refs;
  private int next;
  private long clock;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    List<DeviceRef> devices = new ArrayList<>();
    for (int i = 0; i < DEVICES; i++) {
      devices.add(
          new DeviceRef(
              "dev-" + i, TYPES[i % TYPES.length], ZONES[(i / 4) % ZONES.length], "site"));
    }
    Directory directory = new FixedDirectory(devices);
    engine =
        new RuleEngine(
            vertx,
            new AlertService(event -> {}),
            directory,
            rule -> Future.succeededFuture(List.of()),
            1000,
            WindowLimits.defaults().budget(),
            new SimpleMeterRegistry());
    Random random = new Random(42);
    for (int r = 0; r < rules; r++) {
      int t = random.nextInt(TYPES.length);
      String scope =
          "{\"zone\": \""
              + ZONES[random.nextInt(ZONES.length)]
              + "\", \"type\": \""
              + TYPES[t]
              + "\"}";
      String condition =
          switch (r % 4) {
            case 0 -> "{\"type\": \"threshold\", \"op\": \">\", \"value\": 1000, \"clear\": 900}";
            case 1 ->
                "{\"type\": \"aggregate\", \"function\": \"avg\", \"window\": \"1m\", \"op\": \">\","
                    + " \"value\": 1000}";
            case 2 ->
                "{\"type\": \"any\", \"conditions\": [{\"type\": \"threshold\", \"op\": \">\","
                    + " \"value\": 1000}, {\"type\": \"threshold\", \"op\": \"<\", \"value\": -1000}]}";
            default -> "{\"type\": \"absence\", \"for\": \"1h\"}";
          };
      JsonObject json =
          new JsonObject(
              "{\"name\": \"r"
                  + r
                  + "\", \"scope\": "
                  + scope
                  + ", \"metric\": \""
                  + METRICS[t]
                  + "\", \"condition\": "
                  + condition
                  + "}");
      engine
          .apply(RuleJson.parse(json, zone -> true).withIdentity("r" + r, 1, 0))
          .toCompletionStage()
          .toCompletableFuture()
          .get();
    }
    refs = devices.toArray(new DeviceRef[0]);
    clock = System.currentTimeMillis();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /**
   * One reading through the engine. Readings are 6 ms apart, so each device reports once a minute
   * (10,000 readings a minute in all), as the catalogue's air-quality nodes do.
   */
  @Benchmark
  public void evaluateOneReading() {
    int i = next;
    next = i + 1 == DEVICES ? 0 : i + 1;
    clock += 6;
    engine.onBatch(
        new TelemetryBatch(
            refs[i], List.of(new Reading(METRICS[i % METRICS.length], 42.0, clock)), "mqtt"),
        clock);
  }
}
