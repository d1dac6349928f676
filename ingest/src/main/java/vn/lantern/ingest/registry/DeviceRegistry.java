package vn.lantern.ingest.registry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.http.InvalidFieldException;

/**
 * The device registry as the rest of the node sees it: lookups answer from memory without blocking,
 * writes go to the relational store on a worker thread and then update memory. Credentials are
 * checked by {@link DeviceAuthenticator}.
 */
public final class DeviceRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

  private final Vertx vertx;
  private final RegistryStore store;
  private final SecretHasher hasher;
  private final PskCipher pskCipher;
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  private final Map<String, Zone> zones = new ConcurrentHashMap<>();

  private DeviceRegistry(
      Vertx vertx, RegistryStore store, SecretHasher hasher, PskCipher pskCipher) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.pskCipher = pskCipher;
  }

  /**
   * Opens the registry under {@code dataDir}, migrating the schema and loading it into memory;
   * device PSKs are encrypted with the key file in {@code dataDir}.
   */
  public static Future<DeviceRegistry> open(Vertx vertx, Path dataDir, int pbkdf2Iterations) {
    return open(vertx, dataDir, pbkdf2Iterations, "");
  }

  /**
   * Opens the registry under {@code dataDir}, migrating the schema and loading it into memory.
   *
   * @param pskKey base64 AES-256 key encrypting device PSKs; empty to use (or create) the key file
   *     in {@code dataDir}
   */
  public static Future<DeviceRegistry> open(
      Vertx vertx, Path dataDir, int pbkdf2Iterations, String pskKey) {
    return vertx.executeBlocking(
        () -> {
          PskCipher pskCipher = PskCipher.open(pskKey, dataDir);
          RegistryStore store = RegistryStore.open(dataDir);
          DeviceRegistry registry =
              new DeviceRegistry(vertx, store, new SecretHasher(pbkdf2Iterations), pskCipher);
          store.devices().forEach(d -> registry.devices.put(d.id(), d));
          store.zones().forEach(z -> registry.zones.put(z.id(), z));
          LOG.info(
              "event=registry_opened devices={} zones={}",
              registry.devices.size(),
              registry.zones.size());
          return registry;
        });
  }

  /** Looks a device up without blocking. */
  public Optional<Device> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** Every device, ordered by id. */
  public List<Device> devices() {
    return devices.values().stream().sorted(Comparator.comparing(Device::id)).toList();
  }

  /** Looks a zone up without blocking. */
  public Optional<Zone> zone(String id) {
    return Optional.ofNullable(zones.get(id));
  }

  /** Every zone, ordered by id. */
  public List<Zone> zones() {
    return zones.values().stream().sorted(Comparator.comparing(Zone::id)).toList();
  }

  /**
   * A device's DTLS pre-shared key, decrypted from memory without blocking (so it can answer a DTLS
   * handshake directly).
   *
   * @return empty for an unknown device, a device without a PSK, or a PSK that does not decrypt
   *     under this node's key (logged)
   */
  public Optional<byte[]> psk(String id) {
    Device device = id == null ? null : devices.get(id);
    if (device == null || device.pskCiphertext() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(pskCipher.decrypt(device.id(), device.pskCiphertext()));
    } catch (IllegalStateException e) {
      LOG.error("event=psk_unreadable device={} error=\"{}\"", id, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Whether {@code client} may publish readings for {@code targetId}: its own, or, for a gateway,
   * those of a device registered behind it.
   */
  public Optional<Device> publishTarget(Device client, String targetId) {
    if (targetId == null || targetId.equals(client.id())) {
      return client.isGateway() ? Optional.empty() : Optional.of(client);
    }
    Device target = devices.get(targetId);
    if (target == null || !client.isGateway() || !client.id().equals(target.gateway())) {
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /**
   * Creates or replaces a device from its JSON representation. An omitted secret or PSK keeps the
   * stored one, so provisioning the same file twice changes nothing.
   *
   * @return whether the device was created (rather than replaced)
   */
  public Future<Boolean> putDevice(JsonObject body) {
    Device device;
    String secret;
    String psk;
    try {
      String id = RegistryValidator.deviceId(body, "id");
      String type = RegistryValidator.type(body);
      String zone = RegistryValidator.text(body, "zone", true, 64);
      if (!zones.containsKey(zone)) {
        throw new InvalidFieldException("zone", "unknown zone '" + zone + "'");
      }
      String site = RegistryValidator.text(body, "site", true, 128);
      String gateway =
          body.getValue("gateway") == null ? null : RegistryValidator.deviceId(body, "gateway");
      if (gateway != null) {
        Device gw = devices.get(gateway);
        if (gw == null || !gw.isGateway()) {
          throw new InvalidFieldException("gateway", "no gateway '" + gateway + "' is registered");
        }
        if (Device.GATEWAY_TYPE.equals(type)) {
          throw new InvalidFieldException("gateway", "a gateway cannot sit behind a gateway");
        }
      }
      secret = RegistryValidator.secret(body);
      psk = RegistryValidator.psk(body);
      Device existing = devices.get(id);
      if (secret == null && Device.GATEWAY_TYPE.equals(type) && existing == null) {
        throw new InvalidFieldException("secret", "is required for a gateway");
      }
      device =
          new Device(
              id,
              type,
              zone,
              site,
              RegistryValidator.coordinate(body, "lat", 90),
              RegistryValidator.coordinate(body, "lon", 180),
              gateway,
              existing == null ? null : existing.secretHash(),
              existing == null ? null : existing.pskCiphertext());
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(
        () -> {
          Device stored =
              new Device(
                  device.id(),
                  device.type(),
                  device.zone(),
                  device.site(),
                  device.lat(),
                  device.lon(),
                  device.gateway(),
                  secret == null ? device.secretHash() : hasher.hash(secret),
                  psk == null
                      ? device.pskCiphertext()
                      : pskCipher.encrypt(device.id(), psk.getBytes(StandardCharsets.US_ASCII)));
          boolean created = store.upsertDevice(stored);
          devices.put(stored.id(), stored);
          LOG.info(
              "event=device_saved device={} type={} zone={} created={}",
              stored.id(),
              stored.type(),
              stored.zone(),
              created);
          return created;
        });
  }

  /** Deletes a device. @return false when it did not exist */
  public Future<Boolean> deleteDevice(String id) {
    return vertx.executeBlocking(
        () -> {
          boolean deleted = store.deleteDevice(id);
          devices.remove(id);
          devices.replaceAll(
              (key, d) ->
                  id.equals(d.gateway())
                      ? new Device(
                          d.id(),
                          d.type(),
                          d.zone(),
                          d.site(),
                          d.lat(),
                          d.lon(),
                          null,
                          d.secretHash(),
                          d.pskCiphertext())
                      : d);
          if (deleted) {
            LOG.info("event=device_deleted device={}", id);
          }
          return deleted;
        });
  }

  /**
   * Creates or replaces a zone from its JSON representation.
   *
   * @param pathId the id from the URL for a replacement, or {@code null} to take it from the body
   * @return whether the zone was created
   */
  public Future<Boolean> putZone(String pathId, JsonObject body) {
    Zone zone;
    try {
      if (pathId != null) {
        body = body.copy().put("id", pathId);
      }
      String id = RegistryValidator.zoneId(body, "id");
      String parent = RegistryValidator.text(body, "parent", false, 64);
      if (parent != null && (parent.equals(id) || !zones.containsKey(parent))) {
        throw new InvalidFieldException("parent", "unknown parent zone '" + parent + "'");
      }
      zone =
          new Zone(
              id,
              RegistryValidator.text(body, "name", true, 128),
              RegistryValidator.zoneId(body, "kind").replace('-', '_'),
              parent,
              RegistryValidator.coordinate(body, "lat", 90),
              RegistryValidator.coordinate(body, "lon", 180));
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(
        () -> {
          boolean created = store.upsertZone(zone);
          zones.put(zone.id(), zone);
          LOG.info("event=zone_saved zone={} created={}", zone.id(), created);
          return created;
        });
  }

  @Override
  public void close() {
    store.close();
  }
}
