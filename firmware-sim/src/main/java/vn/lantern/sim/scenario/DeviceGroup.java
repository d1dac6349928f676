package vn.lantern.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Devices of one type at one site, as written in a scenario file. The group expands to {@code
 * count} devices named {@code <id>-01}, {@code <id>-02}, …
 *
 * @param id id prefix of the group's devices, e.g. {@code hoian-wl}
 * @param type sensor type (the InfluxDB measurement)
 * @param zone zone id from the catalogue, e.g. {@code hoi-an}
 * @param site site name (free text)
 * @param lat latitude, optional
 * @param lon longitude, optional
 * @param count how many devices, at least 1
 * @param interval sampling interval; the type's catalogue default when omitted
 * @param transport MQTT 3.1.1, MQTT 5 or CoAP/DTLS; {@code mqtt3} when omitted
 * @param format payload format; Lantern JSON when omitted
 * @param clockSkew largest clock offset of a device's own clock, either way; {@code 2s} when
 *     omitted
 * @param params model parameters, e.g. {@code base: 0.6} for a river gauge's normal level
 */
public record DeviceGroup(
    @JsonProperty(required = true) String id,
    @JsonProperty(required = true) DeviceType type,
    @JsonProperty(required = true) String zone,
    String site,
    Double lat,
    Double lon,
    Integer count,
    Duration interval,
    Transport transport,
    Format format,
    Duration clockSkew,
    Map<String, Double> params) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,56}");

  public DeviceGroup {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id: '" + id + "' must be lower-case letters, digits and '-', at most 57 characters");
    }
    if (!ID.matcher(zone).matches()) {
      throw new IllegalArgumentException("zone: '" + zone + "' is not a zone id such as hoi-an");
    }
    count = count == null ? 1 : count;
    if (count < 1 || count > 99_999) {
      throw new IllegalArgumentException("count: must be between 1 and 99999, got " + count);
    }
    interval = interval == null ? type.defaultInterval() : interval;
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval: must be at least 1s, got " + interval);
    }
    transport = transport == null ? Transport.MQTT3 : transport;
    format = format == null ? Format.LANTERN_JSON : format;
    clockSkew = clockSkew == null ? Duration.ofSeconds(2) : clockSkew;
    site = site == null ? id : site;
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  /** A model parameter, or {@code fallback} when the scenario does not set it. */
  public double param(String name, double fallback) {
    return params.getOrDefault(name, fallback);
  }
}
