package vn.lantern.rules.rule;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import vn.lantern.common.telemetry.MetricName;

/**
 * Reads a rule from the API's JSON, validating every field (errors name its JSON path), and writes
 * a rule back as JSON. Unknown fields are rejected so a typo never silently disables a check.
 */
public final class RuleJson {
  private static final Pattern NAME_LIKE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  private static final Set<String> RULE_FIELDS =
      Set.of(
          "id",
          "version",
          "updatedAt",
          "name",
          "description",
          "scope",
          "metric",
          "condition",
          "severity",
          "escalation",
          "renotify",
          "channels",
          "enabled",
          "source");
  private static final int MAX_DEPTH = 4;
  private static final int MAX_CHILDREN = 16;
  private static final Duration NO_LONGER_THAN_ANY = Duration.ofMillis(Long.MAX_VALUE);

  private RuleJson() {}

  /**
   * Parses and validates a rule with windows of any length (stored rules, shipped packs). The id,
   * version and change time are left for the caller to set.
   *
   * @param zoneExists whether a zone id exists in the registry
   * @throws InvalidRuleException naming the field at fault
   */
  public static Rule parse(JsonObject json, Predicate<String> zoneExists) {
    return parse(json, zoneExists, NO_LONGER_THAN_ANY);
  }

  /**
   * Parses and validates a rule whose windows may be at most {@code maxWindow} long.
   *
   * @param zoneExists whether a zone id exists in the registry
   * @throws InvalidRuleException naming the field at fault
   */
  public static Rule parse(JsonObject json, Predicate<String> zoneExists, Duration maxWindow) {
    onlyKnown(json, RULE_FIELDS, "");
    String name = text(json, "name", "name", true, 200);
    String description = text(json, "description", "description", false, 2000);
    Scope scope = scope(json.getValue("scope"), zoneExists);
    String metric =
        json.getValue("metric") == null ? null : metric(json.getValue("metric"), "metric");
    Condition condition = condition(json.getValue("condition"), "condition", metric, 1, maxWindow);
    Severity severity = Severity.parse(json.getValue("severity", "warning"), "severity");
    List<EscalationStep> escalation = escalation(json.getValue("escalation"), severity);
    Duration renotify =
        json.getValue("renotify") == null
            ? null
            : positive(Durations.parse(json.getValue("renotify"), "renotify"), "renotify");
    List<Channel> channels = channels(json.getValue("channels"));
    Object enabled = json.getValue("enabled", Boolean.TRUE);
    if (!(enabled instanceof Boolean)) {
      throw new InvalidRuleException("enabled", "must be true or false");
    }
    return new Rule(
        null,
        0,
        name,
        description == null ? "" : description,
        scope,
        metric,
        condition,
        severity,
        escalation,
        renotify,
        channels,
        (Boolean) enabled,
        0,
        source(json.getValue("source")));
  }

  private static RuleSource source(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject json)) {
      throw new InvalidRuleException("source", "must be an object");
    }
    onlyKnown(json, Set.of("pack", "version", "citation"), "source.");
    String pack = text(json, "pack", "source.pack", true, 100);
    String citation = text(json, "citation", "source.citation", true, 500);
    if (!(json.getValue("version") instanceof Integer version)) {
      throw new InvalidRuleException("source.version", "must be a whole number");
    }
    return new RuleSource(pack, version, citation);
  }

  private static Scope scope(Object value, Predicate<String> zoneExists) {
    if (!(value instanceof JsonObject json)) {
      throw new InvalidRuleException("scope", "is required: an object with at least a zone");
    }
    onlyKnown(json, Set.of("zone", "site", "type", "devices"), "scope.");
    String zone = text(json, "zone", "scope.zone", true, 64);
    if (!zoneExists.test(zone)) {
      throw new InvalidRuleException("scope.zone", "unknown zone '" + zone + "'");
    }
    String site = text(json, "site", "scope.site", false, 128);
    String type =
        json.getValue("type") == null ? null : metric(json.getValue("type"), "scope.type");
    Set<String> devices = new LinkedHashSet<>();
    Object list = json.getValue("devices");
    if (list != null) {
      if (!(list instanceof JsonArray array) || array.size() > 1000) {
        throw new InvalidRuleException("scope.devices", "must be an array of device ids");
      }
      for (int i = 0; i < array.size(); i++) {
        Object id = array.getValue(i);
        if (!(id instanceof String s) || !NAME_LIKE.matcher(s).matches()) {
          throw new InvalidRuleException("scope.devices[" + i + "]", "must be a device id");
        }
        devices.add(s);
      }
    }
    return new Scope(zone, site, type, devices);
  }

  private static Condition condition(
      Object value, String path, String metric, int depth, Duration maxWindow) {
    if (!(value instanceof JsonObject json)) {
      throw new InvalidRuleException(path, "is required: an object with a type");
    }
    if (depth > MAX_DEPTH) {
      throw new InvalidRuleException(path, "nests deeper than " + MAX_DEPTH + " levels");
    }
    Object type = json.getValue("type");
    if (!(type instanceof String typeName)) {
      throw new InvalidRuleException(path + ".type", "is required");
    }
    String leafMetric =
        json.getValue("metric") == null
            ? metric
            : metric(json.getValue("metric"), path + ".metric");
    return switch (typeName) {
      case "threshold" -> {
        onlyKnown(json, Set.of("type", "metric", "op", "value", "clear", "for"), path + ".");
        yield new Condition.Threshold(
            required(leafMetric, path), Comparison.parse(json, path), holdFor(json, path));
      }
      case "rate" -> {
        onlyKnown(json, Set.of("type", "metric", "op", "value", "clear", "per", "for"), path + ".");
        Duration per =
            positive(Durations.parse(json.getValue("per", "1h"), path + ".per"), path + ".per");
        yield new Condition.Rate(
            required(leafMetric, path), Comparison.parse(json, path), per, holdFor(json, path));
      }
      case "absence" -> {
        onlyKnown(json, Set.of("type", "metric", "for"), path + ".");
        Object duration = json.getValue("for");
        if (duration == null) {
          throw new InvalidRuleException(path + ".for", "is required");
        }
        yield new Condition.Absence(
            leafMetric, positive(Durations.parse(duration, path + ".for"), path + ".for"));
      }
      case "aggregate" -> {
        onlyKnown(
            json,
            Set.of(
                "type", "metric", "function", "window", "tumbling", "op", "value", "clear", "for"),
            path + ".");
        Condition.Function function = function(json.getValue("function"), path + ".function");
        Object windowText = json.getValue("window");
        if (windowText == null) {
          throw new InvalidRuleException(path + ".window", "is required");
        }
        Duration window = positive(Durations.parse(windowText, path + ".window"), path + ".window");
        if (window.compareTo(maxWindow) > 0) {
          throw new InvalidRuleException(
              path + ".window", "must be at most " + Durations.format(maxWindow));
        }
        Object tumbling = json.getValue("tumbling", Boolean.FALSE);
        if (!(tumbling instanceof Boolean)) {
          throw new InvalidRuleException(path + ".tumbling", "must be true or false");
        }
        yield new Condition.Aggregate(
            required(leafMetric, path),
            function,
            window,
            (Boolean) tumbling,
            Comparison.parse(json, path),
            holdFor(json, path));
      }
      case "levels" -> {
        onlyKnown(
            json,
            Set.of("type", "metric", "levels", "hysteresis", "for", "station", "window"),
            path + ".");
        yield levels(json, required(leafMetric, path), path, maxWindow);
      }
      case "aqi" -> {
        onlyKnown(json, Set.of("type", "levels", "hysteresis", "for"), path + ".");
        yield new Condition.Aqi(levels(json, Condition.Aqi.METRIC, path, maxWindow));
      }
      case "period" -> {
        onlyKnown(json, Set.of("type", "from", "until", "hours", "timeZone"), path + ".");
        yield period(json, path);
      }
      case "any", "all" -> {
        onlyKnown(json, Set.of("type", "metric", "conditions"), path + ".");
        Object list = json.getValue("conditions");
        if (!(list instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_CHILDREN) {
          throw new InvalidRuleException(
              path + ".conditions", "must be an array of 1 to " + MAX_CHILDREN + " conditions");
        }
        List<Condition> children = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
          children.add(
              condition(
                  array.getValue(i),
                  path + ".conditions[" + i + "]",
                  leafMetric,
                  depth + 1,
                  maxWindow));
        }
        yield typeName.equals("any") ? new Condition.Any(children) : new Condition.All(children);
      }
      default ->
          throw new InvalidRuleException(
              path + ".type",
              "must be one of threshold, rate, absence, aggregate, levels, aqi, period, any, all");
    };
  }

  private static Condition.Period period(JsonObject json, String path) {
    LocalDate from = day(json.getValue("from"), path + ".from");
    LocalDate until = day(json.getValue("until"), path + ".until");
    if (from != null && until != null && !until.isAfter(from)) {
      throw new InvalidRuleException(path + ".until", "must be after from");
    }
    LocalTime dailyFrom = null;
    LocalTime dailyUntil = null;
    Object hours = json.getValue("hours");
    if (hours != null) {
      if (!(hours instanceof JsonArray pair) || pair.size() != 2) {
        throw new InvalidRuleException(path + ".hours", "must be [\"HH:MM\", \"HH:MM\"]");
      }
      dailyFrom = time(pair.getValue(0), path + ".hours[0]");
      dailyUntil = time(pair.getValue(1), path + ".hours[1]");
      if (dailyFrom.equals(dailyUntil)) {
        throw new InvalidRuleException(path + ".hours", "must not start and end at the same time");
      }
    }
    if (from == null && until == null && dailyFrom == null) {
      throw new InvalidRuleException(path, "needs from, until or hours");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(String.valueOf(json.getValue("timeZone", "Asia/Ho_Chi_Minh")));
    } catch (DateTimeException e) {
      throw new InvalidRuleException(path + ".timeZone", "is not a time zone");
    }
    return new Condition.Period(from, until, dailyFrom, dailyUntil, zone);
  }

  private static LocalDate day(Object value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(String.valueOf(value));
    } catch (DateTimeException e) {
      throw new InvalidRuleException(field, "must be a date (YYYY-MM-DD)");
    }
  }

  private static LocalTime time(Object value, String field) {
    try {
      return LocalTime.parse(String.valueOf(value));
    } catch (DateTimeException e) {
      throw new InvalidRuleException(field, "must be a time (HH:MM)");
    }
  }

  private static Condition.Levels levels(
      JsonObject json, String metric, String path, Duration maxWindow) {
    Object list = json.getValue("levels");
    if (!(list instanceof JsonArray array) || array.isEmpty() || array.size() > 5) {
      throw new InvalidRuleException(path + ".levels", "must be an array of 1 to 5 levels");
    }
    List<Condition.Level> levels = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = path + ".levels[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject level)) {
        throw new InvalidRuleException(at, "must be an object {name, value, severity}");
      }
      onlyKnown(level, Set.of("name", "value", "severity"), at + ".");
      String name = text(level, "name", at + ".name", true, 32);
      if (!(level.getValue("value") instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new InvalidRuleException(at + ".value", "must be a finite number");
      }
      Severity severity = Severity.parse(level.getValue("severity"), at + ".severity");
      if (!levels.isEmpty()) {
        Condition.Level below = levels.get(levels.size() - 1);
        if (n.doubleValue() <= below.value()) {
          throw new InvalidRuleException(at + ".value", "must be above the level before it");
        }
        if (severity.compareTo(below.severity()) < 0) {
          throw new InvalidRuleException(
              at + ".severity", "must not be lower than the severity before it");
        }
      }
      levels.add(new Condition.Level(name, n.doubleValue(), severity));
    }
    Object hysteresis = json.getValue("hysteresis", 0);
    if (!(hysteresis instanceof Number h) || !(h.doubleValue() >= 0) || h.doubleValue() > 1e6) {
      throw new InvalidRuleException(path + ".hysteresis", "must be a number ≥ 0");
    }
    Condition.Station station = null;
    if (json.getValue("station") != null) {
      if (!(json.getValue("station") instanceof JsonObject s)) {
        throw new InvalidRuleException(path + ".station", "must be an object {name, river}");
      }
      onlyKnown(s, Set.of("name", "river"), path + ".station.");
      station =
          new Condition.Station(
              text(s, "name", path + ".station.name", true, 100),
              text(s, "river", path + ".station.river", true, 100));
    }
    Duration window = null;
    if (json.getValue("window") != null) {
      window =
          positive(Durations.parse(json.getValue("window"), path + ".window"), path + ".window");
      if (window.compareTo(maxWindow) > 0) {
        throw new InvalidRuleException(
            path + ".window", "must be at most " + Durations.format(maxWindow));
      }
    }
    return new Condition.Levels(
        metric, levels, h.doubleValue(), holdFor(json, path), station, window);
  }

  private static String required(String metric, String path) {
    if (metric == null) {
      throw new InvalidRuleException(path + ".metric", "is required (here or on the rule)");
    }
    return metric;
  }

  private static Duration holdFor(JsonObject json, String path) {
    return Durations.parse(json.getValue("for", "0s"), path + ".for");
  }

  private static Duration positive(Duration d, String field) {
    if (d.isZero()) {
      throw new InvalidRuleException(field, "must be longer than zero");
    }
    return d;
  }

  private static Condition.Function function(Object value, String field) {
    for (Condition.Function f : Condition.Function.values()) {
      if (f.json().equals(value)) {
        return f;
      }
    }
    throw new InvalidRuleException(field, "must be one of avg, min, max, sum, count, p95");
  }

  private static List<EscalationStep> escalation(Object value, Severity initial) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > 5) {
      throw new InvalidRuleException("escalation", "must be an array of at most 5 steps");
    }
    List<EscalationStep> steps = new ArrayList<>();
    Duration previous = Duration.ZERO;
    Severity level = initial;
    for (int i = 0; i < array.size(); i++) {
      String path = "escalation[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject step)) {
        throw new InvalidRuleException(path, "must be an object {after, severity}");
      }
      onlyKnown(step, Set.of("after", "severity"), path + ".");
      Duration after =
          positive(Durations.parse(step.getValue("after"), path + ".after"), path + ".after");
      if (after.compareTo(previous) <= 0) {
        throw new InvalidRuleException(path + ".after", "must be later than the previous step");
      }
      Severity severity = Severity.parse(step.getValue("severity"), path + ".severity");
      if (severity.compareTo(level) <= 0) {
        throw new InvalidRuleException(
            path + ".severity", "must be higher than the severity before it");
      }
      steps.add(new EscalationStep(after, severity));
      previous = after;
      level = severity;
    }
    return steps;
  }

  private static List<Channel> channels(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array) || array.size() > 10) {
      throw new InvalidRuleException("channels", "must be an array of at most 10 channels");
    }
    List<Channel> channels = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = "channels[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject c)) {
        throw new InvalidRuleException(path, "must be an object");
      }
      Object type = c.getValue("type");
      if ("webhook".equals(type)) {
        onlyKnown(c, Set.of("type", "url", "secret", "signed"), path + ".");
        String url = text(c, "url", path + ".url", true, 2000);
        webhookUrl(url, path + ".url");
        channels.add(new Channel("webhook", url, text(c, "secret", path + ".secret", false, 256)));
      } else if ("mqtt".equals(type)) {
        onlyKnown(c, Set.of("type", "topic"), path + ".");
        String topic = text(c, "topic", path + ".topic", true, 256);
        if (topic.contains("#") || topic.contains("+")) {
          throw new InvalidRuleException(path + ".topic", "must not contain wildcards");
        }
        channels.add(new Channel("mqtt", topic, null));
      } else {
        throw new InvalidRuleException(path + ".type", "must be webhook or mqtt");
      }
    }
    return channels;
  }

  /** Refuses a URL the webhook client could not call, so it fails here and not at alert time. */
  private static void webhookUrl(String url, String field) {
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw new InvalidRuleException(field, "must be an http or https URL");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidRuleException(field, "is not a valid URL: " + e.getReason());
    }
    if (uri.getHost() == null) {
      throw new InvalidRuleException(field, "must name a host");
    }
    if (uri.getPort() > 65535) {
      throw new InvalidRuleException(field, "must have a port from 1 to 65535");
    }
  }

  private static String metric(Object value, String field) {
    if (!(value instanceof String s) || !MetricName.isWellFormed(s)) {
      throw new InvalidRuleException(field, "must match " + MetricName.RULE);
    }
    return s;
  }

  private static String text(
      JsonObject json, String key, String field, boolean required, int maxLength) {
    Object value = json.getValue(key);
    if (value == null) {
      if (required) {
        throw new InvalidRuleException(field, "is required");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > maxLength) {
      throw new InvalidRuleException(
          field, "must be a non-empty string of at most " + maxLength + " characters");
    }
    return s;
  }

  private static void onlyKnown(JsonObject json, Set<String> known, String prefix) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new InvalidRuleException(prefix + key, "is not a known field");
      }
    }
  }

  /** The API's JSON form of a rule. Webhook secrets are never included. */
  public static JsonObject write(Rule rule) {
    JsonObject scope = new JsonObject().put("zone", rule.scope().zone());
    if (rule.scope().site() != null) {
      scope.put("site", rule.scope().site());
    }
    if (rule.scope().type() != null) {
      scope.put("type", rule.scope().type());
    }
    if (!rule.scope().devices().isEmpty()) {
      scope.put("devices", new JsonArray(List.copyOf(rule.scope().devices())));
    }
    JsonObject json =
        new JsonObject()
            .put("id", rule.id())
            .put("version", rule.version())
            .put("name", rule.name());
    if (!rule.description().isEmpty()) {
      json.put("description", rule.description());
    }
    json.put("scope", scope);
    if (rule.metric() != null) {
      json.put("metric", rule.metric());
    }
    json.put("condition", write(rule.condition(), rule.metric()))
        .put("severity", rule.severity().json());
    if (!rule.escalation().isEmpty()) {
      JsonArray steps = new JsonArray();
      rule.escalation()
          .forEach(
              s ->
                  steps.add(
                      new JsonObject()
                          .put("after", Durations.format(s.after()))
                          .put("severity", s.severity().json())));
      json.put("escalation", steps);
    }
    if (rule.renotify() != null) {
      json.put("renotify", Durations.format(rule.renotify()));
    }
    JsonArray channels = new JsonArray();
    for (Channel c : rule.channels()) {
      JsonObject channel = new JsonObject().put("type", c.type());
      if (c.type().equals("webhook")) {
        channel.put("url", c.target()).put("signed", c.secret() != null);
      } else {
        channel.put("topic", c.target());
      }
      channels.add(channel);
    }
    json.put("channels", channels).put("enabled", rule.enabled());
    if (rule.source() != null) {
      json.put(
          "source",
          new JsonObject()
              .put("pack", rule.source().pack())
              .put("version", rule.source().version())
              .put("citation", rule.source().citation()));
    }
    return json.put("updatedAt", rule.updatedAt());
  }

  /**
   * Moves a rule's stored form from zone {@code from} to {@code into} (a zone merge): its scope,
   * and its MQTT topics under the old zone's prefix ({@link Channel#zoneTopicPrefix}), which name
   * the surviving zone's instead. Other topics and webhook URLs are the receivers' own and stay.
   */
  public static void moveZone(JsonObject stored, String from, String into) {
    stored.getJsonObject("scope").put("zone", into);
    String oldPrefix = Channel.zoneTopicPrefix(from);
    JsonArray channels = stored.getJsonArray("channels", new JsonArray());
    for (int i = 0; i < channels.size(); i++) {
      JsonObject channel = channels.getJsonObject(i);
      String topic = channel.getString("topic");
      if ("mqtt".equals(channel.getString("type"))
          && topic != null
          && topic.startsWith(oldPrefix)) {
        channel.put("topic", Channel.zoneTopicPrefix(into) + topic.substring(oldPrefix.length()));
      }
    }
  }

  /** The stored form: like {@link #write(Rule)} but keeping webhook secrets. */
  public static JsonObject writeForStore(Rule rule) {
    JsonObject json = write(rule);
    JsonArray channels = new JsonArray();
    for (Channel c : rule.channels()) {
      channels.add(
          c.type().equals("webhook")
              ? new JsonObject()
                  .put("type", "webhook")
                  .put("url", c.target())
                  .put("secret", c.secret())
              : new JsonObject().put("type", "mqtt").put("topic", c.target()));
    }
    return json.put("channels", channels);
  }

  private static JsonObject write(Condition condition, String ruleMetric) {
    JsonObject json = new JsonObject();
    if (condition instanceof Condition.Threshold t) {
      json.put("type", "threshold");
      metric(json, t.metric(), ruleMetric);
      t.comparison().write(json);
      json.put("for", Durations.format(t.holdFor()));
    } else if (condition instanceof Condition.Rate r) {
      json.put("type", "rate");
      metric(json, r.metric(), ruleMetric);
      r.comparison().write(json);
      json.put("per", Durations.format(r.per())).put("for", Durations.format(r.holdFor()));
    } else if (condition instanceof Condition.Absence a) {
      json.put("type", "absence");
      metric(json, a.metric(), ruleMetric);
      json.put("for", Durations.format(a.duration()));
    } else if (condition instanceof Condition.Aggregate a) {
      json.put("type", "aggregate");
      metric(json, a.metric(), ruleMetric);
      json.put("function", a.function().json())
          .put("window", Durations.format(a.window()))
          .put("tumbling", a.tumbling());
      a.comparison().write(json);
      json.put("for", Durations.format(a.holdFor()));
    } else if (condition instanceof Condition.Aqi a) {
      json.put("type", "aqi");
      writeLevels(json, a.levels());
    } else if (condition instanceof Condition.Levels l) {
      json.put("type", "levels");
      metric(json, l.metric(), ruleMetric);
      writeLevels(json, l);
    } else if (condition instanceof Condition.Period p) {
      json.put("type", "period");
      if (p.from() != null) {
        json.put("from", p.from().toString());
      }
      if (p.until() != null) {
        json.put("until", p.until().toString());
      }
      if (p.dailyFrom() != null) {
        json.put(
            "hours", new JsonArray().add(p.dailyFrom().toString()).add(p.dailyUntil().toString()));
      }
      json.put("timeZone", p.zone().getId());
    } else {
      List<Condition> children =
          condition instanceof Condition.Any any
              ? any.conditions()
              : ((Condition.All) condition).conditions();
      json.put("type", condition instanceof Condition.Any ? "any" : "all");
      JsonArray array = new JsonArray();
      children.forEach(c -> array.add(write(c, ruleMetric)));
      json.put("conditions", array);
    }
    return json;
  }

  private static void writeLevels(JsonObject json, Condition.Levels l) {
    JsonArray levels = new JsonArray();
    l.levels()
        .forEach(
            level ->
                levels.add(
                    new JsonObject()
                        .put("name", level.name())
                        .put("value", level.value())
                        .put("severity", level.severity().json())));
    json.put("levels", levels)
        .put("hysteresis", l.hysteresis())
        .put("for", Durations.format(l.holdFor()));
    if (l.station() != null) {
      json.put(
          "station",
          new JsonObject().put("name", l.station().name()).put("river", l.station().river()));
    }
    if (l.window() != null) {
      json.put("window", Durations.format(l.window()));
    }
  }

  private static void metric(JsonObject json, String metric, String ruleMetric) {
    if (metric != null && !metric.equals(ruleMetric)) {
      json.put("metric", metric);
    }
  }
}
