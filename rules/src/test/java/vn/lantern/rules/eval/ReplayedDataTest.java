package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
 * Past data replayed into the live engine (a backfill, a gateway draining its queue) is judged by
 * the readings' own time: the engine raises the same alerts as a dry run over the same readings,
 * stamps them with data time, marks them late, and pages only for what is still going on.
 */
class ReplayedDataTest {
  private static final long MINUTE = 60_000;
  private static final DeviceRef AIR = new DeviceRef("aq-1", "air_quality", "hoi-an", "Old town");
  private static final DeviceRef GAUGE =
      new DeviceRef("wl-1", "water_level", "hoi-an", "Hoi An station");

  /** The shipped AQI rule as it was when it flapped: sliding 1 h mean, no hold, no clear. */
  private static final String AQI_RULE =
      """
      {"name": "PM2.5 hourly mean above 50",
       "scope": {"zone": "hoi-an", "type": "air_quality"},
       "metric": "pm25",
       "condition": {"type": "aggregate", "function": "avg", "window": "1h",
                     "op": ">", "value": 50, "for": "0s"},
       "severity": "warning"}
      """;

  private static final String FLOOD_RULE =
      """
      {"name": "Hoi An above alarm 2",
       "scope": {"zone": "hoi-an", "type": "water_level"},
       "metric": "level",
       "condition": {"type": "threshold", "op": ">=", "value": 1.5, "for": "5m", "clear": 1.4},
       "severity": "warning"}
      """;

  private Vertx vertx;
  private final List<AlertEvent> events = new CopyOnWriteArrayList<>();
  private AlertService alerts;
  private RuleEngine engine;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    alerts = new AlertService(events::add);
    Directory directory = new FixedDirectory(List.of(AIR, GAUGE));
    // The test drives the clock itself: the engine's own periodic tick is out of the way.
    engine =
        new RuleEngine(
            vertx,
            alerts,
            directory,
            rule -> Future.succeededFuture(List.of()),
            3_600_000,
            WindowLimits.defaults().budget(),
            new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private Rule apply(String json, String id) throws Exception {
    Rule rule = RuleJson.parse(new JsonObject(json), zone -> true).withIdentity(id, 1, 0);
    engine.apply(rule).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return rule;
  }

  /** PM2.5 every minute: clean, a polluted spell that lifts the hourly mean over 50, clean. */
  private static List<HistoryReader.Sample> pollutionEpisode(long start) {
    List<HistoryReader.Sample> samples = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      double pm25 = i < 60 ? 30 : i < 130 ? 75 + (i % 7) - 3 : 25;
      samples.add(new HistoryReader.Sample(AIR, "pm25", pm25, start + i * MINUTE));
    }
    return samples;
  }

  /** Replays samples as a fast backfill: 20 ms apart on the wall clock, a tick every second. */
  private long replay(List<HistoryReader.Sample> samples, long wallStart) {
    long wall = wallStart;
    long lastTick = wallStart;
    for (HistoryReader.Sample s : samples) {
      wall += 20;
      engine.onBatch(
          new TelemetryBatch(
              s.device(), List.of(new Reading(s.metric(), s.value(), s.ts())), "mqtt"),
          wall);
      if (wall - lastTick >= 1000) {
        engine.tick(wall);
        lastTick = wall;
      }
    }
    return wall;
  }

  private List<List<Long>> liveAlerts(String ruleId) {
    List<List<Long>> out = new ArrayList<>();
    for (AlertEvent e : events) {
      if (e.alert().ruleId().equals(ruleId) && e.kind().equals("fired")) {
        out.add(new ArrayList<>(List.of(e.alert().since(), 0L)));
      }
      if (e.alert().ruleId().equals(ruleId) && e.kind().equals("resolved")) {
        out.get(out.size() - 1).set(1, e.alert().resolvedAt());
      }
    }
    return out;
  }

  private static List<List<Long>> dryRunAlerts(JsonObject result) {
    List<List<Long>> out = new ArrayList<>();
    JsonArray alerts = result.getJsonArray("alerts");
    for (int i = 0; i < alerts.size(); i++) {
      JsonObject a = alerts.getJsonObject(i);
      Long resolved = a.getLong("resolvedAt");
      out.add(List.of(a.getLong("firedAt"), resolved == null ? 0L : resolved));
    }
    return out;
  }

  @Test
  void engineRaisesTheSameAlertsAsADryRunOverTheSameBackfill() throws Exception {
    Rule rule = apply(AQI_RULE, "aqi");
    long wallStart = System.currentTimeMillis();
    long start = (wallStart - 6 * 60 * MINUTE) / MINUTE * MINUTE;
    List<HistoryReader.Sample> samples = pollutionEpisode(start);
    long end = start + 300 * MINUTE;

    long wall = replay(samples, wallStart);
    // Let the engine's clock run on until the dry run's end, in data time.
    long lastTs = samples.get(samples.size() - 1).ts();
    engine.tick(wall + (end - lastTs));

    DryRun run =
        new DryRun(rule, List.of(AIR), start, end, WindowLimits.defaults().budget(), 1_000);
    run.feed(samples);
    JsonObject dryRun = run.finish();
    List<List<Long>> expected = dryRunAlerts(dryRun);
    assertEquals(1, expected.size(), "the dry run sees one polluted spell: " + expected);
    assertEquals(expected, liveAlerts("aqi"), "live engine and dry run disagree");
  }

  @Test
  void alertsFromABacklogAreInDataTimeLateAndPageOnlyWhatIsStillActive() throws Exception {
    apply(FLOOD_RULE, "flood");
    long wallStart = System.currentTimeMillis();
    long start = (wallStart - 6 * 60 * MINUTE) / MINUTE * MINUTE;
    // A gateway drains six hours of 1-minute readings: a flood peak that ended hours ago, and a
    // rise in the last half hour that is still going on.
    List<HistoryReader.Sample> backlog = new ArrayList<>();
    int minutes = (int) ((wallStart - start) / MINUTE);
    for (int i = 0; i <= minutes; i++) {
      double level = (i >= 60 && i < 120) || i >= minutes - 30 ? 1.8 : 1.0;
      backlog.add(new HistoryReader.Sample(GAUGE, "level", level, start + i * MINUTE));
    }
    long wall = replay(backlog, wallStart);
    engine.tick(wall + 1000);

    List<AlertEvent> fired = events.stream().filter(e -> e.kind().equals("fired")).toList();
    assertEquals(2, fired.size(), events.toString());
    Alert past = fired.get(0).alert();
    assertEquals(start + 60 * MINUTE + 5 * MINUTE, past.since(), "raised in the readings' time");
    assertTrue(past.late());
    AlertEvent pastResolved =
        events.stream()
            .filter(e -> e.kind().equals("resolved") && e.alert().id().equals(past.id()))
            .findFirst()
            .orElseThrow();
    assertEquals(start + 120 * MINUTE, pastResolved.at(), "resolved at the clearing reading");
    assertFalse(fired.get(0).pages(), "no page for a flood that ended hours ago");
    assertFalse(pastResolved.pages());

    Alert current = fired.get(1).alert();
    assertEquals(start + (minutes - 30) * MINUTE + 5 * MINUTE, current.since());
    assertTrue(current.late());
    assertTrue(alerts.openById(current.id()).isPresent(), "still active");
    List<AlertEvent> pages = events.stream().filter(AlertEvent::pages).toList();
    assertEquals(1, pages.size(), "one page, for the flood still going on: " + events);
    assertEquals(current.id(), pages.get(0).alert().id());
  }

  @Test
  void liveAlertsAreNotLateAndPageAtOnce() throws Exception {
    apply(FLOOD_RULE, "flood");
    long now = System.currentTimeMillis();
    engine.onBatch(new TelemetryBatch(GAUGE, List.of(new Reading("level", 1.7, now)), "mqtt"), now);
    engine.tick(now + 5 * MINUTE);
    assertEquals(List.of("fired"), events.stream().map(AlertEvent::kind).toList());
    assertFalse(events.get(0).alert().late());
    assertTrue(events.get(0).pages());
    assertEquals(now + 5 * MINUTE, events.get(0).alert().since());
  }

  @Test
  void reFiringSoonAfterClearingCountsAsAFlap() throws Exception {
    apply(
        """
        {"name": "level high", "scope": {"zone": "hoi-an", "type": "water_level"},
         "metric": "level", "condition": {"type": "threshold", "op": ">=", "value": 1.5},
         "severity": "warning"}
        """,
        "flappy");
    long t = System.currentTimeMillis();
    double[] levels = {1.6, 1.4, 1.6, 1.4, 1.6};
    for (int i = 0; i < levels.length; i++) {
      long ts = t + i * MINUTE;
      engine.onBatch(
          new TelemetryBatch(GAUGE, List.of(new Reading("level", levels[i], ts)), "mqtt"), ts);
    }
    List<Integer> flaps =
        events.stream().filter(e -> e.kind().equals("fired")).map(e -> e.alert().flaps()).toList();
    assertEquals(List.of(0, 1, 2), flaps);
    assertEquals(2, alerts.openAlerts().get(0).toJson().getInteger("flaps"));
  }

  @Test
  void aDeviceThatNeverReportedIsInformationNotAnAlarm() throws Exception {
    apply(
        """
        {"name": "air node offline", "scope": {"zone": "hoi-an", "type": "air_quality"},
         "condition": {"type": "absence", "for": "3m"}, "severity": "warning"}
        """,
        "offline");
    long now = System.currentTimeMillis();
    engine.tick(now + 4 * MINUTE);
    assertEquals(1, alerts.openAlerts().size());
    Alert never = alerts.openAlerts().get(0);
    assertTrue(never.neverReported());
    assertEquals("info", never.severity().json(), "does not turn its zone orange");
    assertEquals(true, never.toJson().getBoolean("neverReported"));

    // Once it has reported, its silence is an alarm again.
    engine.onBatch(
        new TelemetryBatch(AIR, List.of(new Reading("pm25", 12, now + 5 * MINUTE)), "mqtt"),
        now + 5 * MINUTE);
    assertTrue(alerts.openAlerts().isEmpty());
    engine.tick(now + 9 * MINUTE);
    Alert silent = alerts.openAlerts().get(0);
    assertFalse(silent.neverReported());
    assertEquals("warning", silent.severity().json());
  }
}
