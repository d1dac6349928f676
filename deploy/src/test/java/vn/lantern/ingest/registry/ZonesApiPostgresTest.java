package vn.lantern.ingest.registry;

import java.util.Map;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.testing.TestDatabases;

/** {@link ZonesApiTest} on a node whose relational store is a real PostgreSQL server. */
class ZonesApiPostgresTest extends ZonesApiTest {
  @Override
  Map<String, Object> database() {
    DatabaseSettings db = TestDatabases.POSTGRES.freshDatabase();
    return Map.of("db.url", db.url(), "db.user", db.user(), "db.password", db.password());
  }
}
