package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import vn.lantern.rules.alert.Alert;
import vn.lantern.rules.alert.AlertEvent;
import vn.lantern.rules.alert.AlertService;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;

/**
 * A rule a zone merge moved, on the node of the surviving zone, which did not hold the rule's open
 * alert (the merged zone's node did; the merge moved it to the survivor in the store): the first
 * reading the moved rule sees here goes on with that alert, and no second alert is raised.
 */
class MovedRuleTest {
  private static final DeviceRef MOVED = new DeviceRef("wl-1", "water_level", "survivor", "Trạm");

  private Vertx vertx;
  private final List<AlertEvent> events = new CopyOnWriteArrayList<>();
  private AlertService alerts;
  private RuleEngine engine;
  private Rule before;
  private Rule after;
  private Alert moved;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    before = rule("merged-away", 1);
    after = rule("survivor", 2);
    // the open alert as the store holds it after the merge
    moved =
        new AlertService(e -> {})
            .fire(
                after,
                MOVED,
                2.0,
                System.currentTimeMillis() - 60_000,
                AlertService.Circumstances.LIVE)
            .orElseThrow();
    alerts = new AlertService(events::add);
    Directory directory = new FixedDirectory(List.of(MOVED));
    engine =
        new RuleEngine(
            vertx,
            alerts,
            directory,
            rule -> Future.succeededFuture(List.of()),
            () -> Future.succeededFuture(List.of(moved)),
            60_000,
            WindowLimits.defaults().budget(),
            new SimpleMeterRegistry());
    await(engine.apply(before));
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void theFirstReadingGoesOnWithTheMovedAlert() throws Exception {
    await(engine.applyMoved(after));

    long now = System.currentTimeMillis();
    engine.onBatch(new TelemetryBatch(MOVED, List.of(new Reading("level", 2.1, now)), "mqtt"), now);

    assertEquals(List.of(), events.stream().map(AlertEvent::kind).toList(), "no second alert");
    assertEquals(
        List.of(moved.id()), alerts.openAlerts().stream().map(Alert::id).toList(), "taken over");
  }

  private static Rule rule(String zone, int version) {
    return RuleJson.parse(
            new JsonObject()
                .put("name", "high water")
                .put("scope", new JsonObject().put("zone", zone).put("type", "water_level"))
                .put("metric", "level")
                .put(
                    "condition",
                    new JsonObject()
                        .put("type", "threshold")
                        .put("op", ">")
                        .put("value", 1.5)
                        .put("for", "0s")
                        .put("clear", 1.4))
                .put("severity", "warning"),
            z -> true)
        .withIdentity("moved-rule", version, 0);
  }

  private static void await(Future<Void> future) throws Exception {
    future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
