package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.rules.regulation.RegulationPack;
import vn.lantern.rules.regulation.Regulations;
import vn.lantern.rules.regulation.Threshold;
import vn.lantern.rules.rule.Rule;
import vn.lantern.rules.rule.RuleJson;

/**
 * The shipped packs' rules apply the limit in force when a reading was taken: QCVN 05:2023's PM2.5
 * 24-hour limit drops from 50 to 45 µg/m³ on 2026-01-01, QCVN 26:2010's noise limit is 70 dBA from
 * 06:00 to 21:00 and 55 dBA from 21:00 to 06:00, Vietnam time.
 */
class RegulationPeriodsTest {
  private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
  private static final long MINUTE = 60_000;

  private final List<String> transitions = new ArrayList<>();
  private final DeviceState.Transitions out =
      new DeviceState.Transitions() {
        @Override
        public void fired(DeviceState s, long at) {
          transitions.add("fired " + local(at));
        }

        @Override
        public void cleared(DeviceState s, long at) {
          transitions.add("cleared " + local(at));
        }
      };

  private static String local(long at) {
    return java.time.Instant.ofEpochMilli(at).atZone(VIETNAM).toLocalDateTime().toString();
  }

  private static long at(String localDateTime) {
    return ZonedDateTime.of(LocalDateTime.parse(localDateTime), VIETNAM).toInstant().toEpochMilli();
  }

  private static RegulationPack pack(String id) {
    return Regulations.bundled().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
  }

  private static DeviceState stateOf(RegulationPack pack, String type, long startedAt) {
    JsonObject json = pack.rules().get(0);
    Rule rule = RuleJson.parse(json, zone -> true);
    return new DeviceState(
        rule,
        new DeviceRef("dev-1", type, json.getJsonObject("scope").getString("zone"), "site"),
        ConditionNode.compile(rule.condition(), startedAt, WindowLimits.defaults().budget()));
  }

  @Test
  void pm25DailyLimitFollowsTheDateItChangesOn() {
    RegulationPack qcvn05 = pack("qcvn-05-2023-air");
    Threshold limit = qcvn05.threshold("pm25_24h").orElseThrow();
    assertEquals(50, limit.valueOn(LocalDate.parse("2025-12-31")).getAsDouble());
    assertEquals(45, limit.valueOn(LocalDate.parse("2026-01-01")).getAsDouble());

    // 48 µg/m³ all along: within 50 until the last day of 2025, above 45 from the first of 2026.
    long from = at("2025-12-29T00:00");
    DeviceState state = stateOf(qcvn05, "air_quality", from);
    for (long t = from; t <= at("2026-01-01T06:00"); t += 10 * MINUTE) {
      state.read("pm25", 48, t, t, out);
    }
    assertEquals(List.of("fired 2026-01-01T00:00"), transitions);
  }

  @Test
  void noiseLimitIsSeventyByDayAndFiftyFiveAtNightInVietnamTime() {
    RegulationPack qcvn26 = pack("qcvn-26-2010-noise");
    long from = at("2026-03-10T20:00");
    DeviceState state = stateOf(qcvn26, "noise", from);
    // 60 dBA from 20:00 to 07:00: fine by day, above the night limit from 21:00 until 06:00.
    for (long t = from; t <= at("2026-03-11T07:00"); t += MINUTE) {
      state.read("laeq", 60, t, t, out);
    }
    assertEquals(List.of("fired 2026-03-10T21:00", "cleared 2026-03-11T06:00"), transitions);
  }

  @Test
  void loudDayStaysWithinTheDayLimitUntilItIsAboveSeventy() {
    RegulationPack qcvn26 = pack("qcvn-26-2010-noise");
    long from = at("2026-03-10T05:00");
    DeviceState state = stateOf(qcvn26, "noise", from);
    // 68 dBA: above the night limit before 06:00, within the day limit after; 75 dBA from 12:00.
    for (long t = from; t <= at("2026-03-10T13:00"); t += MINUTE) {
      state.read("laeq", t < at("2026-03-10T12:00") ? 68 : 75, t, t, out);
    }
    assertEquals(
        List.of("fired 2026-03-10T05:30", "cleared 2026-03-10T06:00", "fired 2026-03-10T12:30"),
        transitions);
  }
}
