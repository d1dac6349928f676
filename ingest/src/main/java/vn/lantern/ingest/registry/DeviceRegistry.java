package vn.lantern.ingest.registry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.http.FieldConflictException;
import vn.lantern.common.http.InvalidFieldException;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.store.TransactionStep;
import vn.lantern.common.store.ZoneReferences;

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

  /**
   * Bumped after every change to {@link #devices}: {@link #devices()} is read every second by the
   * rules and KPI engines, and sorting thousands of devices each time showed in the profile.
   */
  private final AtomicLong devicesVersion = new AtomicLong();

  private volatile SortedSnapshot sortedDevices = new SortedSnapshot(-1, List.of());

  private record SortedSnapshot(long version, List<Device> devices) {}

  private final Map<String, Zone> zones = new ConcurrentHashMap<>();
  private volatile Map<String, String> aliases = Map.of();
  private final List<ZoneReferences> zoneReferences = new CopyOnWriteArrayList<>();
  private final List<Consumer<String>> revocationListeners = new CopyOnWriteArrayList<>();

  /**
   * Completes once every merge begun so far has reached memory. The store shows a merge from its
   * commit on, memory a moment later: reads of the lists wait for this, so none answers in between.
   * Each merge joins its own onto the one before, yet the chain holds only merges still under way:
   * the {@code mapEmpty} future keeps no link to the join it maps, and a completed future drops its
   * listeners ({@code MergesFollowedTest} fails if a Vert.x upgrade changes that).
   */
  private volatile Future<Void> mergesFollowed = Future.succeededFuture();

  private RegistryChangeListener changes;

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
    return open(vertx, () -> RegistryStore.open(dataDir), dataDir, pbkdf2Iterations, pskKey);
  }

  /**
   * Opens the registry in the node's relational store {@code db} (which the caller closes) and
   * loads it into memory; the PSK key file, if used, is in {@code dataDir}.
   */
  public static Future<DeviceRegistry> open(
      Vertx vertx, RelationalStore db, Path dataDir, int pbkdf2Iterations, String pskKey) {
    return open(vertx, () -> RegistryStore.in(db), dataDir, pbkdf2Iterations, pskKey);
  }

  private static Future<DeviceRegistry> open(
      Vertx vertx,
      Supplier<RegistryStore> storeOpener,
      Path dataDir,
      int pbkdf2Iterations,
      String pskKey) {
    return vertx.executeBlocking(
        () -> {
          PskCipher pskCipher = PskCipher.open(pskKey, dataDir);
          RegistryStore store = storeOpener.get();
          DeviceRegistry registry =
              new DeviceRegistry(vertx, store, new SecretHasher(pbkdf2Iterations), pskCipher);
          registry.reload();
          if (store.shared()) {
            registry.changes =
                new RegistryChangeListener(
                    store.database(), registry::changedElsewhere, registry::reload);
            registry.changes.start();
          }
          LOG.info(
              "event=registry_opened devices={} zones={}",
              registry.devices.size(),
              registry.zones.size());
          return registry;
        });
  }

  /**
   * Adds a listener told the id of a device or gateway whose credentials in use were revoked: it
   * was deleted or disabled, or its secret, PSK or certificate pin changed. Endpoints close its
   * sessions; its old credential is already refused when the listener runs.
   */
  public void onRevoked(Consumer<String> listener) {
    revocationListeners.add(listener);
  }

  /** Looks a device up without blocking. */
  public Optional<Device> device(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** Every device, ordered by id: an immutable snapshot, shared until the registry changes. */
  public List<Device> devices() {
    SortedSnapshot snapshot = sortedDevices;
    long version = devicesVersion.get();
    if (snapshot.version() != version) {
      // Tagged with the version read before sorting: a change meanwhile makes the next call sort.
      snapshot =
          new SortedSnapshot(
              version, devices.values().stream().sorted(Comparator.comparing(Device::id)).toList());
      sortedDevices = snapshot;
    }
    return snapshot.devices();
  }

  /** Looks a zone up without blocking. */
  public Optional<Zone> zone(String id) {
    return Optional.ofNullable(zones.get(id));
  }

  /** Every zone, ordered by id. */
  public List<Zone> zones() {
    return zones.values().stream().sorted(Comparator.comparing(Zone::id)).toList();
  }

  /** The ids of zones merged into others: alias → the zone it now belongs to. */
  public Map<String, String> aliases() {
    return aliases;
  }

  /** The ids merged into {@code zone}, sorted. */
  public List<String> aliasesOf(String zone) {
    return aliases.entrySet().stream()
        .filter(e -> e.getValue().equals(zone))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /**
   * Completes once every zone merge begun so far is in memory (or failed): a read of the zones or
   * devices that waits for it shows the store as it is after those merges.
   */
  public Future<Void> mergesFollowed() {
    return mergesFollowed;
  }

  /**
   * Adds the zone references of another part of the node (rules, users, KPI definitions): they move
   * with every merge, in the merge's transaction.
   */
  public void addZoneReferences(ZoneReferences references) {
    zoneReferences.add(references);
  }

  /**
   * Merges zone {@code from} into {@code into}: devices, child zones and every registered {@link
   * ZoneReferences} move in one transaction together with {@code audit} (written in it), {@code
   * from} becomes an alias of {@code into}. Memory follows once the transaction has committed;
   * {@link #mergesFollowed} completes only then.
   *
   * @return the ids of the devices moved
   */
  public Future<List<String>> mergeZone(String from, String into, TransactionStep audit) {
    if (!zones.containsKey(from)) {
      return Future.failedFuture(new InvalidFieldException("id", "unknown zone '" + from + "'"));
    }
    if (into == null || from.equals(into) || !zones.containsKey(into)) {
      return Future.failedFuture(
          new InvalidFieldException("into", "must name another existing zone"));
    }
    if (isInside(into, from)) {
      // Its children would go under the survivor, one of them its own parent.
      return Future.failedFuture(
          new FieldConflictException(
              "zone_loop",
              "into",
              "'"
                  + into
                  + "' lies inside '"
                  + from
                  + "': move it out first (PUT /api/v1/zones/"
                  + into
                  + " with another parent), or merge the other way"));
    }
    List<ZoneReferences> references = new ArrayList<>(zoneReferences);
    references.add((c, f, i) -> audit.run(c));
    Promise<Void> inMemory = Promise.promise();
    mergesFollowed = Future.join(mergesFollowed, inMemory.future()).mapEmpty();
    return vertx
        .executeBlocking(
            () -> {
              List<String> moved = store.mergeZone(from, into, references);
              reload();
              LOG.info("event=zone_merged zone={} into={} devices={}", from, into, moved.size());
              List<Future<Void>> followed = new ArrayList<>();
              for (ZoneReferences r : references) {
                followed.add(r.moved(from, into));
              }
              return new Merged(moved, followed);
            })
        // on the caller's context, after memory has followed (or the merge failed)
        .onComplete(done -> inMemory.complete())
        .compose(
            merged ->
                Future.join(merged.followed())
                    .transform(
                        done -> {
                          if (done.failed()) {
                            LOG.error(
                                "event=zone_merge_reload_failed zone={} error=\"{}\"",
                                from,
                                done.cause().toString());
                          }
                          return Future.succeededFuture(merged.devices());
                        }));
  }

  private record Merged(List<String> devices, List<Future<Void>> followed) {}

  /** The zones and their boundaries as a GeoJSON FeatureCollection; reads the store on a worker. */
  public Future<JsonObject> zonesGeoJson() {
    return vertx.executeBlocking(() -> ZoneBoundary.featureCollection(zones(), store.boundaries()));
  }

  /**
   * Replaces every zone boundary with those of a GeoJSON FeatureCollection, together with {@code
   * audit}.
   *
   * @return the number of boundaries stored
   */
  public Future<Integer> putZonesGeoJson(JsonObject body, TransactionStep audit) {
    List<ZoneBoundary> boundaries;
    try {
      boundaries = ZoneBoundary.parse(body, zones::containsKey);
    } catch (InvalidFieldException e) {
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(
        () -> {
          store.replaceBoundaries(boundaries, audit);
          LOG.info("event=zone_boundaries_saved boundaries={}", boundaries.size());
          return boundaries.size();
        });
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
    if (device == null || device.disabled() || device.pskCiphertext() == null) {
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
    Device current = devices.get(client.id());
    if (current == null || current.disabled()) {
      return Optional.empty(); // revoked while its session was still open
    }
    if (targetId == null || targetId.equals(client.id())) {
      // The registration as it is now, not as the session began: a zone merge or a device moved
      // to another zone tags the session's next readings with the new zone.
      return current.isGateway() ? Optional.empty() : Optional.of(current);
    }
    Device target = devices.get(targetId);
    if (target == null
        || target.disabled()
        || !client.isGateway()
        || !client.id().equals(target.gateway())) {
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
      String site = RegistryValidator.tagValue(body, "site", 128);
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
              existing == null ? null : existing.pskCiphertext(),
              RegistryValidator.certSha256(body, existing == null ? null : existing.certSha256()),
              RegistryValidator.disabled(body, existing != null && existing.disabled()));
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
                      : pskCipher.encrypt(device.id(), psk.getBytes(StandardCharsets.US_ASCII)),
                  device.certSha256(),
                  device.disabled());
          boolean created = store.upsertDevice(stored);
          Device previous = devices.put(stored.id(), stored);
          devicesVersion.incrementAndGet();
          if (previous != null && previous.revokedBy(stored)) {
            revoked(stored.id());
          }
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
          devicesVersion.incrementAndGet();
          detachFrom(id);
          if (deleted) {
            LOG.info("event=device_deleted device={}", id);
            revoked(id);
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
      if (aliases.containsKey(id)) {
        throw new InvalidFieldException(
            "id", "'" + id + "' was merged into '" + aliases.get(id) + "'; its id stays reserved");
      }
      String parent = RegistryValidator.text(body, "parent", false, 64);
      if (parent != null && (parent.equals(id) || !zones.containsKey(parent))) {
        throw new InvalidFieldException("parent", "unknown parent zone '" + parent + "'");
      }
      if (parent != null && isInside(parent, id)) {
        throw new FieldConflictException(
            "zone_loop",
            "parent",
            "'" + parent + "' lies inside '" + id + "': the zones would form a loop");
      }
      zone =
          new Zone(
              id,
              RegistryValidator.text(body, "name", true, 128),
              RegistryValidator.zoneId(body, "kind").replace('-', '_'),
              parent,
              RegistryValidator.coordinate(body, "lat", 90),
              RegistryValidator.coordinate(body, "lon", 180),
              RegistryValidator.zoneCode(body));
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

  /** Whether {@code zone} lies somewhere below {@code ancestor}. */
  private boolean isInside(String zone, String ancestor) {
    // Bounded by the number of zones: a loop already in the data must not hang the check.
    int steps = zones.size();
    for (String above = parentOf(zone); above != null && steps-- > 0; above = parentOf(above)) {
      if (above.equals(ancestor)) {
        return true;
      }
    }
    return false;
  }

  private String parentOf(String zone) {
    Zone z = zones.get(zone);
    return z == null ? null : z.parent();
  }

  /** Loads every device and zone from the store, replacing what memory holds. Blocking. */
  private void reload() {
    Map<String, Device> freshDevices = new HashMap<>();
    store.devices().forEach(d -> freshDevices.put(d.id(), d));
    Map<String, Zone> freshZones = new HashMap<>();
    store.zones().forEach(z -> freshZones.put(z.id(), z));
    zones.putAll(freshZones);
    zones.keySet().retainAll(freshZones.keySet());
    aliases = Map.copyOf(store.aliases());
    for (String id : List.copyOf(devices.keySet())) {
      if (!freshDevices.containsKey(id)) {
        devices.remove(id);
        devicesVersion.incrementAndGet();
        revoked(id);
      }
    }
    freshDevices.forEach(
        (id, fresh) -> {
          Device previous = devices.put(id, fresh);
          devicesVersion.incrementAndGet();
          if (previous != null && previous.revokedBy(fresh)) {
            revoked(id);
          }
        });
  }

  /**
   * Another node changed a device or zone in the shared store: take the stored version (or its
   * absence). Blocking; runs on the listener's thread.
   */
  private void changedElsewhere(String kind, String id) {
    if ("zone".equals(kind)) {
      store.zone(id).ifPresentOrElse(z -> zones.put(id, z), () -> zones.remove(id));
      aliases = Map.copyOf(store.aliases());
      return;
    }
    Optional<Device> stored = store.device(id);
    if (stored.isPresent()) {
      Device previous = devices.put(id, stored.get());
      devicesVersion.incrementAndGet();
      if (previous != null && previous.revokedBy(stored.get())) {
        revoked(id);
      }
    } else if (devices.remove(id) != null) {
      devicesVersion.incrementAndGet();
      detachFrom(id);
      LOG.info("event=device_deleted_elsewhere device={}", id);
      revoked(id);
    }
  }

  private void detachFrom(String gatewayId) {
    devices.replaceAll((key, d) -> gatewayId.equals(d.gateway()) ? d.withGateway(null) : d);
    devicesVersion.incrementAndGet();
  }

  private void revoked(String id) {
    LOG.info("event=device_credentials_revoked device={}", id);
    for (Consumer<String> listener : revocationListeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        LOG.error("event=revocation_listener_failed device={} error=\"{}\"", id, e.toString());
      }
    }
  }

  @Override
  public void close() {
    if (changes != null) {
      changes.close();
    }
    store.close();
  }
}
