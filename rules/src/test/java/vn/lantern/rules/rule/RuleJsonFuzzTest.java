package vn.lantern.rules.rule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import vn.lantern.rules.eval.ConditionNode;
import vn.lantern.rules.eval.WindowLimits;

/**
 * Fuzzes the rule parser with Jazzer: whatever body a caller posts to {@code /api/v1/rules}, it is
 * either not a JSON object (the API's {@code 400 invalid_json}) or parses into a rule or is refused
 * with an {@link InvalidRuleException} (the API's {@code 400} naming the field); any other
 * exception, a hang or an out-of-memory error would be a {@code 500} or worse. A rule that parses
 * is written back and parses again to the same JSON (secrets aside, which are never written), and
 * compiles into evaluation state that takes a reading and a tick.
 *
 * <p>{@code ./lantern test} replays the corpus in {@code
 * src/test/resources/vn/lantern/rules/rule/RuleJsonFuzzTestInputs/ruleJson/}; {@code ./lantern
 * bench fuzz ruleJson} fuzzes it ({@code JAZZER_FUZZ=1}).
 */
class RuleJsonFuzzTest {
  private static final Duration MAX_WINDOW = WindowLimits.defaults().maxLength();

  @FuzzTest(maxDuration = "2m")
  void ruleJson(byte[] body) {
    JsonObject json;
    try {
      json = new JsonObject(Buffer.buffer(body));
    } catch (DecodeException | ClassCastException notAnObject) {
      return;
    }
    Rule rule;
    try {
      rule = RuleJson.parse(json, "hoi-an"::equals, MAX_WINDOW);
    } catch (InvalidRuleException refused) {
      return;
    }
    JsonObject written = RuleJson.write(rule);
    assertEquals(
        withoutSecrets(written),
        withoutSecrets(RuleJson.write(RuleJson.parse(written.copy(), "hoi-an"::equals))));
    ConditionNode state =
        ConditionNode.compile(rule.condition(), 0, WindowLimits.defaults().budget());
    String metric = rule.metric() == null ? "level" : rule.metric();
    state.onReading(metric, 1.0, 1_000, 1_000);
    state.onTick(state.nextDue(1_000) == Long.MAX_VALUE ? 2_000 : state.nextDue(1_000));
    state.satisfied(2_000);
    state.release();
  }

  /** The written form says whether a webhook has a secret but never holds it. */
  private static JsonObject withoutSecrets(JsonObject rule) {
    JsonObject copy = rule.copy();
    JsonArray channels = copy.getJsonArray("channels");
    for (int i = 0; channels != null && i < channels.size(); i++) {
      channels.getJsonObject(i).remove("signed");
    }
    return copy;
  }
}
