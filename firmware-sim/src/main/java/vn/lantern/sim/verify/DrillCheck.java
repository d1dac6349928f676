package vn.lantern.sim.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import vn.lantern.sim.device.SimClock;
import vn.lantern.sim.scenario.Durations;
import vn.lantern.sim.scenario.Expectation;
import vn.lantern.sim.scenario.Scenario;

/**
 * Checks a drill's alert and KPI expectations against the node's API after a run ({@code GET
 * /api/v1/alerts}, {@code /api/v1/alerts/{id}} for the transitions, {@code /api/v1/kpis}).
 *
 * <p>"About when" compares the scenario time of the transition that reached the severity with the
 * expectation. The node stamps a transition with its own clock; in an accelerated run that is
 * mapped back to scenario time through the run's {@link SimClock}, and a stamp that already is a
 * reading's time (data time) is taken as it is, so the check holds under either clock. A wall stamp
 * also carries the delivery lag of the readings (devices start cold, acknowledgements take their
 * time): {@code wallSlack} of it is allowed, which an accelerated run multiplies by its speed.
 */
public final class DrillCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;
  private final Duration wallSlack;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** What became of one expectation. */
  public record Result(Expectation expectation, boolean held, String detail) {
    /** One line for the run's report. */
    public String line() {
      return (held ? "HELD   " : "FAILED ") + expectation.describe() + ": " + detail;
    }
  }

  /**
   * @param apiUrl e.g. {@code http://127.0.0.1:8080}
   * @param token bearer token (an admin or operator may read every zone), or null
   * @param wallSlack delivery lag allowed on the wall clock, on top of each expectation's {@code
   *     within}
   */
  public DrillCheck(String apiUrl, String token, Duration wallSlack) {
    this.base = apiUrl.replaceAll("/+$", "");
    this.token = token == null || token.isBlank() ? null : token;
    this.wallSlack = wallSlack;
  }

  /** Checks the scenario's alert and KPI expectations; crossings are the signal models' own. */
  public List<Result> check(Scenario scenario, SimClock clock)
      throws IOException, InterruptedException {
    List<Result> results = new ArrayList<>();
    for (Expectation e : scenario.expect()) {
      switch (e.kind()) {
        case ALERT -> results.add(alert(e, clock));
        case KPI -> results.add(kpi(e));
        case CROSSING -> {}
      }
    }
    return results;
  }

  private Result alert(Expectation e, SimClock clock) throws IOException, InterruptedException {
    JsonNode items = get("/api/v1/alerts?limit=1000&device=" + encode(e.device())).path("items");
    List<JsonNode> matching = new ArrayList<>();
    for (JsonNode alert : items) {
      if (alert.path("ruleName").asText().startsWith(e.alert())) {
        matching.add(alert);
      }
    }
    if (matching.isEmpty()) {
      return new Result(e, false, "no such alert");
    }
    if (e.alerts() != null && matching.size() != e.alerts()) {
      return new Result(e, false, matching.size() + " alerts, expected " + e.alerts());
    }
    Duration bestGap = null;
    Duration reachedAt = null;
    for (JsonNode alert : matching) {
      JsonNode transitions =
          get("/api/v1/alerts/" + encode(alert.path("id").asText())).path("transitions");
      for (JsonNode t : transitions) {
        if (!t.path("severity").asText().equals(e.severity())) {
          continue;
        }
        for (Duration offset : offsets(Instant.ofEpochMilli(t.path("at").asLong()), clock)) {
          Duration gap = offset.minus(e.at()).abs();
          if (bestGap == null || gap.compareTo(bestGap) < 0) {
            bestGap = gap;
            reachedAt = offset;
          }
        }
      }
    }
    if (reachedAt == null) {
      return new Result(e, false, "never reached " + e.severity());
    }
    Duration tolerance = e.within().plus(clock.scenarioTimeFor(wallSlack));
    boolean onTime = bestGap.compareTo(tolerance) <= 0;
    return new Result(
        e,
        onTime,
        "reached "
            + e.severity()
            + " at "
            + Durations.format(reachedAt.isNegative() ? Duration.ZERO : reachedAt)
            + (onTime ? "" : ", more than " + Durations.format(tolerance) + " off"));
  }

  /** The scenario offsets a node stamp may stand for: data time, or the node's wall clock. */
  private static List<Duration> offsets(Instant stamp, SimClock clock) {
    List<Duration> offsets = new ArrayList<>();
    offsets.add(Duration.between(clock.start(), stamp));
    Instant mapped = clock.scenarioTimeAt(stamp);
    if (mapped != null) {
      offsets.add(Duration.between(clock.start(), mapped));
    }
    return offsets;
  }

  private Result kpi(Expectation e) throws IOException, InterruptedException {
    JsonNode items =
        get("/api/v1/kpis?zone=" + encode(e.zone()) + "&kpi=" + encode(e.kpi())).path("items");
    for (JsonNode item : items) {
      if (item.has("site") || !item.path("kpi").asText().equals(e.kpi())) {
        continue;
      }
      double value = item.path("value").asDouble();
      boolean held =
          (e.below() == null || value < e.below()) && (e.above() == null || value > e.above());
      return new Result(e, held, "value " + value);
    }
    return new Result(e, false, "no value");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
