package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.common.telemetry.Reading;
import vn.lantern.common.telemetry.TelemetryBatch;
import vn.lantern.rules.Directory;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;

/**
 * A reading and an absence deadline at the same instant, in both orders, on the engine's own clock:
 * whichever comes first, no alert is left open.
 */
class AbsenceRaceTest {
  private static final long SILENCE = 5_000;
  private static final DeviceRef DEVICE =
      new DeviceRef("aq-1", "air_quality", "hoi-an", "Old town");

  private Vertx vertx;
  private final List<AlertEvent> events = new CopyOnWriteArrayList<>();
  private AlertService alerts;
  private RuleEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    alerts = new AlertService(events::add);
    Directory directory = new FixedDirectory(List.of(DEVICE));
    engine =
        new RuleEngine(
            vertx,
            alerts,
            directory,
            rule -> Future.succeededFuture(List.of()),
            60_000,
            WindowLimits.defaults().budget(),
            new SimpleMeterRegistry());
    Rule rule =
        RuleJson.parse(
                new JsonObject(
                    """
                    {"name": "air node silent",
                     "scope": {"zone": "hoi-an", "type": "air_quality"},
                     "condition": {"type": "absence", "for": "5s"},
                     "severity": "warning"}
                    """),
                zone -> true)
            .withIdentity("silent", 1, 0);
    engine.apply(rule).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static TelemetryBatch reading(long ts) {
    return new TelemetryBatch(DEVICE, List.of(new Reading("pm25", 12, ts)), "mqtt");
  }

  @Test
  void readingBeforeTheDeadlineTickLeavesNothingOpen() {
    long t0 = System.currentTimeMillis() + 1000;
    engine.onBatch(reading(t0), t0);
    engine.tick(t0 + SILENCE - 1);
    assertTrue(events.isEmpty(), events.toString());

    engine.onBatch(reading(t0 + SILENCE), t0 + SILENCE);
    engine.tick(t0 + SILENCE);
    assertTrue(events.isEmpty(), events.toString());
    assertTrue(alerts.openAlerts().isEmpty());
  }

  @Test
  void deadlineTickBeforeTheReadingIsResolvedByIt() {
    long t0 = System.currentTimeMillis() + 1000;
    engine.onBatch(reading(t0), t0);
    engine.tick(t0 + SILENCE);
    assertEquals(1, alerts.openAlerts().size(), "fires exactly at its deadline");

    engine.onBatch(reading(t0 + SILENCE), t0 + SILENCE);
    assertTrue(alerts.openAlerts().isEmpty(), "the reading at the same instant clears it");
    assertEquals(List.of("fired", "resolved"), events.stream().map(AlertEvent::kind).toList());
  }
}
