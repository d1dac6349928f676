package vn.lantern.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.ingest.registry.RegistryStore;
import vn.lantern.rules.Directory;

/**
 * The rules role's view of the device registry: devices and zones read from an ingest node's API
 * with the service token, refreshed on a timer and held in memory, so lookups never block. A failed
 * refresh keeps the last good copy.
 *
 * <p>The zone merges come from the shared store itself, read after the API: an ingest node shows a
 * merge made through another one only once it has heard of it, but merged ids never come back (they
 * stay reserved), so a device or child zone the API still lists under a merged zone is placed in
 * its survivor. A refresh begun after a merge's commit thus shows the merge, whichever ingest node
 * it reads from.
 */
final class RemoteDirectory implements Directory {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteDirectory.class);

  private record Snapshot(
      List<DeviceRef> devices,
      Set<String> zones,
      Map<String, String> parents,
      Map<String, String> aliases) {}

  private final Vertx vertx;
  private final WebClient client;
  private final String baseUrl;
  private final String token;
  private final DatabaseSettings sharedStore;
  private final Path dataDir;
  private RelationalStore store;
  private RegistryStore merges;
  private volatile Snapshot snapshot = new Snapshot(List.of(), Set.of(), Map.of(), Map.of());
  private long timer = -1;

  /**
   * @param sharedStore the relational store the ingest nodes share, read for its zone aliases only
   * @param dataDir this node's data directory (for an embedded store)
   */
  RemoteDirectory(
      Vertx vertx, String baseUrl, String token, DatabaseSettings sharedStore, Path dataDir) {
    URI uri = URI.create(baseUrl);
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "LANTERN_INGEST_API must be a URL such as http://host:8080");
    }
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.sharedStore = sharedStore;
    this.dataDir = dataDir;
  }

  /**
   * Reads the registry once, then every {@code refreshMs}. The future fails if the first read does.
   */
  Future<Void> start(long refreshMs) {
    return vertx
        .executeBlocking(
            () -> {
              store = RelationalStore.acquire(sharedStore, dataDir);
              merges = RegistryStore.in(store);
              return null;
            })
        .compose(v -> refresh())
        .onSuccess(v -> timer = vertx.setPeriodic(refreshMs, id -> refresh()))
        .mapEmpty();
  }

  /** Re-reads devices and zones (once started); on failure the previous copy stays. */
  @Override
  public Future<Void> refresh() {
    return get("/api/v1/zones")
        .compose(
            zones ->
                get("/api/v1/devices")
                    .compose(
                        devices ->
                            vertx
                                .executeBlocking(merges::aliases, false)
                                .map(merged -> parse(zones, devices, merged))))
        .onSuccess(
            next -> {
              boolean changed = !next.equals(snapshot);
              snapshot = next;
              if (changed) {
                LOG.info(
                    "event=directory_refreshed source={} zones={} devices={}",
                    baseUrl,
                    next.zones().size(),
                    next.devices().size());
              }
            })
        .onFailure(
            e ->
                LOG.warn(
                    "event=directory_refresh_failed source={} error=\"{}\"",
                    baseUrl,
                    e.getMessage()))
        .mapEmpty();
  }

  private Future<JsonArray> get(String path) {
    return client
        .getAbs(baseUrl + path)
        .bearerTokenAuthentication(token)
        .timeout(10_000)
        .send()
        .compose(
            (HttpResponse<Buffer> response) ->
                response.statusCode() == 200
                    ? Future.succeededFuture(response.bodyAsJsonObject().getJsonArray("items"))
                    : Future.failedFuture(
                        new IllegalStateException(path + " answered " + response.statusCode())));
  }

  /**
   * @param merged the store's aliases (merged id → surviving zone), at least as recent as the lists
   */
  private static Snapshot parse(JsonArray zones, JsonArray devices, Map<String, String> merged) {
    Set<String> zoneIds = new HashSet<>();
    Map<String, String> parents = new HashMap<>();
    Map<String, String> aliases = new HashMap<>();
    for (Object item : zones) {
      JsonObject zone = (JsonObject) item;
      String id = zone.getString("id");
      if (merged.containsKey(id)) {
        continue;
      }
      zoneIds.add(id);
      if (zone.getString("parent") != null) {
        String parent = zone.getString("parent");
        parents.put(id, merged.getOrDefault(parent, parent));
      }
      zone.getJsonArray("aliases", new JsonArray()).forEach(a -> aliases.put((String) a, id));
    }
    aliases.putAll(merged);
    List<DeviceRef> refs = new ArrayList<>();
    for (Object item : devices) {
      JsonObject device = (JsonObject) item;
      if (!device.getBoolean("gateway", false)) {
        String zone = device.getString("zone");
        refs.add(
            new DeviceRef(
                device.getString("id"),
                device.getString("type"),
                merged.getOrDefault(zone, zone),
                device.getString("site")));
      }
    }
    return new Snapshot(
        List.copyOf(refs), Set.copyOf(zoneIds), Map.copyOf(parents), Map.copyOf(aliases));
  }

  @Override
  public Collection<DeviceRef> devices() {
    return snapshot.devices();
  }

  @Override
  public boolean zoneExists(String zone) {
    return snapshot.zones().contains(zone);
  }

  @Override
  public Map<String, String> zoneParents() {
    return snapshot.parents();
  }

  @Override
  public Map<String, String> zoneAliases() {
    return snapshot.aliases();
  }

  void stop() {
    vertx.cancelTimer(timer);
    client.close();
    if (store != null) {
      store.close();
    }
  }
}
