package vn.lantern.sim.scenario;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The devices of a scenario, expanded from its groups. Everything here follows from the scenario
 * and the seed, so provisioning and running agree without sharing state.
 */
public final class Fleet {
  private final Scenario scenario;
  private final long seed;
  private final List<DeviceSpec> devices;

  public Fleet(Scenario scenario, long seed) {
    this.scenario = scenario;
    this.seed = seed;
    List<DeviceSpec> out = new ArrayList<>();
    for (DeviceGroup group : scenario.devices()) {
      int digits = Math.max(2, String.valueOf(group.count()).length());
      for (int i = 1; i <= group.count(); i++) {
        String id = group.id() + "-" + String.format("%0" + digits + "d", i);
        SplittableRandom random = randomFor(seed ^ 0x5EC12E7L, id);
        long skewMs = group.clockSkew().toMillis();
        Duration offset = Duration.ofMillis(skewMs == 0 ? 0 : random.nextLong(-skewMs, skewMs + 1));
        String psk = group.transport() == Transport.COAP ? derive("psk", id) : null;
        out.add(new DeviceSpec(id, group, derive("secret", id), psk, offset));
      }
    }
    this.devices = List.copyOf(out);
  }

  public Scenario scenario() {
    return scenario;
  }

  public long seed() {
    return seed;
  }

  public List<DeviceSpec> devices() {
    return devices;
  }

  /**
   * The random source of one device: the same seed and id always give the same sequence, and
   * devices never share one.
   */
  public static SplittableRandom randomFor(long seed, String deviceId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : deviceId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ h);
  }

  // Simulated credentials: reproducible from the seed so `sim provision` and `sim run` agree. They
  // protect nothing real; a fleet's real secrets never come from a seed.
  private String derive(String purpose, String id) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest(
              (purpose + '\0' + scenario.name() + '\0' + seed + '\0' + id)
                  .getBytes(StandardCharsets.UTF_8));
      return "sim-" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
