package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.store.TransactionStep;
import vn.lantern.common.store.ZoneReferences;

/**
 * JDBC persistence of zones and devices in the node's relational store (embedded H2 by default,
 * PostgreSQL for a cluster). Every method blocks: callers run it on a worker thread, never an event
 * loop.
 */
public final class RegistryStore implements AutoCloseable {
  private static final String DEVICE_COLUMNS =
      "id, type, zone, site, lat, lon, gateway, secret_hash, psk_ciphertext, cert_sha256, disabled";
  private static final String ZONE_COLUMNS = "id, name, kind, parent, lat, lon, code";

  private final RelationalStore db;
  private final boolean ownsDb;

  private RegistryStore(RelationalStore db, boolean ownsDb) {
    this.db = db;
    this.ownsDb = ownsDb;
  }

  /** The registry in a store the caller owns (and closes). */
  public static RegistryStore in(RelationalStore db) {
    return new RegistryStore(db, false);
  }

  /** Opens (creating if needed) a store of its own: the embedded file under {@code dataDir}. */
  public static RegistryStore open(Path dataDir) {
    return new RegistryStore(RelationalStore.open(DatabaseSettings.defaults(), dataDir), true);
  }

  /** Every device, ordered by id. */
  public List<Device> devices() {
    return query(
        "SELECT " + DEVICE_COLUMNS + " FROM device ORDER BY id", List.of(), RegistryStore::device);
  }

  /** Every zone, ordered by id. */
  public List<Zone> zones() {
    return query(
        "SELECT " + ZONE_COLUMNS + " FROM zone ORDER BY id", List.of(), RegistryStore::zone);
  }

  /** The ids of zones merged into others: alias → the zone it now belongs to. */
  public Map<String, String> aliases() {
    Map<String, String> aliases = new HashMap<>();
    query(
            "SELECT alias, zone FROM zone_alias",
            List.of(),
            rs -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> aliases.put(e.getKey(), e.getValue()));
    return aliases;
  }

  /** Every zone's boundary, by zone id. */
  public Map<String, ZoneBoundary> boundaries() {
    Map<String, ZoneBoundary> boundaries = new HashMap<>();
    query(
            "SELECT zone, geometry, approximate FROM zone_boundary",
            List.of(),
            rs ->
                new ZoneBoundary(
                    rs.getString(1), new JsonObject(rs.getString(2)), rs.getBoolean(3)))
        .forEach(b -> boundaries.put(b.zone(), b));
    return boundaries;
  }

  /**
   * Replaces every boundary with {@code boundaries} in one transaction, together with {@code
   * audit}.
   */
  public void replaceBoundaries(List<ZoneBoundary> boundaries, TransactionStep audit) {
    inTransaction(
        c -> {
          update(c, "DELETE FROM zone_boundary");
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO zone_boundary (zone, geometry, approximate, updated_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            for (ZoneBoundary b : boundaries) {
              ps.setString(1, b.zone());
              ps.setString(2, b.geometry().encode());
              ps.setBoolean(3, b.approximate());
              ps.setLong(4, System.currentTimeMillis());
              ps.executeUpdate();
            }
          }
          audit.run(c);
          return null;
        });
  }

  /**
   * Merges zone {@code from} into {@code into} in one transaction: the references of the other
   * parts of the node ({@code references}, e.g. rules, users, KPI definitions) move first, then
   * devices, child zones and aliases; {@code from} becomes an alias of {@code into} and its row is
   * deleted. Nothing is changed if any step fails. {@code into} must not lie inside {@code from}
   * ({@link DeviceRegistry#mergeZone} refuses that).
   *
   * @param references the other tables' references, moved within the transaction
   * @return the ids of the devices moved
   */
  public List<String> mergeZone(String from, String into, List<ZoneReferences> references) {
    return inTransaction(
        c -> {
          for (ZoneReferences r : references) {
            r.move(c, from, into);
          }
          List<String> moved = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT id FROM device WHERE zone = ?")) {
            ps.setString(1, from);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                moved.add(rs.getString(1));
              }
            }
          }
          update(c, "UPDATE device SET zone = ? WHERE zone = ?", into, from);
          // The surviving zone takes the children (the registry refuses a survivor among them).
          update(c, "UPDATE zone SET parent = ? WHERE parent = ?", into, from);
          update(c, "UPDATE zone_alias SET zone = ? WHERE zone = ?", into, from);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO zone_alias (alias, zone, created_at) VALUES (?, ?, ?)")) {
            ps.setString(1, from);
            ps.setString(2, into);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
          }
          // The surviving zone keeps its own outline; an admin redraws it if it should grow.
          update(c, "DELETE FROM zone_boundary WHERE zone = ?", from);
          update(c, "DELETE FROM zone WHERE id = ?", from);
          notifyChange(c, "zone", from);
          notifyChange(c, "zone", into);
          for (String device : moved) {
            notifyChange(c, "device", device);
          }
          return moved;
        });
  }

  private static void update(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  /** Inserts or replaces a device. Returns true when it was created. */
  public boolean upsertDevice(Device d) {
    return inTransaction(
        c -> {
          boolean exists = exists(c, "SELECT 1 FROM device WHERE id = ?", d.id());
          String sql =
              exists
                  ? "UPDATE device SET type = ?, zone = ?, site = ?, lat = ?, lon = ?, gateway = ?,"
                      + " secret_hash = ?, psk_ciphertext = ?, cert_sha256 = ?, disabled = ?"
                      + " WHERE id = ?"
                  : "INSERT INTO device (type, zone, site, lat, lon, gateway, secret_hash,"
                      + " psk_ciphertext, cert_sha256, disabled, id)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, d.type());
            ps.setString(2, d.zone());
            ps.setString(3, d.site());
            setDouble(ps, 4, d.lat());
            setDouble(ps, 5, d.lon());
            ps.setString(6, d.gateway());
            ps.setString(7, d.secretHash());
            ps.setString(8, d.pskCiphertext());
            ps.setString(9, d.certSha256());
            ps.setBoolean(10, d.disabled());
            ps.setString(11, d.id());
            ps.executeUpdate();
          }
          notifyChange(c, "device", d.id());
          return !exists;
        });
  }

  /** Deletes a device; devices behind it (for a gateway) are detached. Returns false if absent. */
  public boolean deleteDevice(String id) {
    return inTransaction(
        c -> {
          try (PreparedStatement detach =
                  c.prepareStatement("UPDATE device SET gateway = NULL WHERE gateway = ?");
              PreparedStatement delete = c.prepareStatement("DELETE FROM device WHERE id = ?")) {
            detach.setString(1, id);
            detach.executeUpdate();
            delete.setString(1, id);
            boolean deleted = delete.executeUpdate() == 1;
            notifyChange(c, "device", id);
            return deleted;
          }
        });
  }

  /** Inserts or replaces a zone. Returns true when it was created. */
  public boolean upsertZone(Zone z) {
    return inTransaction(
        c -> {
          boolean exists = exists(c, "SELECT 1 FROM zone WHERE id = ?", z.id());
          String sql =
              exists
                  ? "UPDATE zone SET name = ?, kind = ?, parent = ?, lat = ?, lon = ?, code = ?"
                      + " WHERE id = ?"
                  : "INSERT INTO zone (name, kind, parent, lat, lon, code, id)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)";
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, z.name());
            ps.setString(2, z.kind());
            ps.setString(3, z.parent());
            setDouble(ps, 4, z.lat());
            setDouble(ps, 5, z.lon());
            ps.setString(6, z.code());
            ps.setString(7, z.id());
            ps.executeUpdate();
          }
          notifyChange(c, "zone", z.id());
          return !exists;
        });
  }

  /** Finds one device. */
  public Optional<Device> device(String id) {
    return query(
            "SELECT " + DEVICE_COLUMNS + " FROM device WHERE id = ?",
            List.of(id),
            RegistryStore::device)
        .stream()
        .findFirst();
  }

  /** Whether other nodes sharing the store hear of changes (PostgreSQL {@code LISTEN}). */
  boolean shared() {
    return !db.embedded();
  }

  RelationalStore database() {
    return db;
  }

  /**
   * On PostgreSQL, tells the other nodes sharing the store; delivered when the transaction commits,
   * and not at all if it rolls back.
   */
  private void notifyChange(Connection c, String kind, String id) throws SQLException {
    if (db.embedded()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, RegistryChangeListener.CHANNEL);
      ps.setString(2, kind + ":" + id);
      ps.execute();
    }
  }

  /** Finds one zone. */
  public Optional<Zone> zone(String id) {
    return query(
            "SELECT " + ZONE_COLUMNS + " FROM zone WHERE id = ?", List.of(id), RegistryStore::zone)
        .stream()
        .findFirst();
  }

  @Override
  public void close() {
    if (ownsDb) {
      db.close();
    }
  }

  private <T> T inTransaction(RelationalStore.Transaction<T> work) {
    try {
      return db.inTransaction(work);
    } catch (RelationalStore.StoreException e) {
      throw new RegistryException(e);
    }
  }

  private <T> List<T> query(String sql, List<?> params, RelationalStore.RowMapper<T> mapper) {
    try {
      return db.query(sql, params, mapper);
    } catch (RelationalStore.StoreException e) {
      throw new RegistryException(e);
    }
  }

  private static boolean exists(Connection c, String sql, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, value);
    }
  }

  private static Double getDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static Device device(ResultSet rs) throws SQLException {
    return new Device(
        rs.getString("id"),
        rs.getString("type"),
        rs.getString("zone"),
        rs.getString("site"),
        getDouble(rs, "lat"),
        getDouble(rs, "lon"),
        rs.getString("gateway"),
        rs.getString("secret_hash"),
        rs.getString("psk_ciphertext"),
        rs.getString("cert_sha256"),
        rs.getBoolean("disabled"));
  }

  private static Zone zone(ResultSet rs) throws SQLException {
    return new Zone(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("kind"),
        rs.getString("parent"),
        getDouble(rs, "lat"),
        getDouble(rs, "lon"),
        rs.getString("code"));
  }

  /** A failure of the relational store itself (not of the caller's input). */
  public static final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryException(RelationalStore.StoreException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
