package vn.lantern.testing;

import vn.lantern.common.store.DatabaseSettings;

/**
 * The relational engines every store test runs on: the embedded H2 file and a real PostgreSQL
 * server, started once per JVM on first use (it fails loudly when PostgreSQL is not installed, it
 * is never skipped). Use as {@code @EnumSource(TestDatabases.class)} on a parameterized test.
 */
public enum TestDatabases {
  H2,
  POSTGRES;

  private static PostgresProcess server;

  /**
   * Settings for a fresh, empty database: for H2 the embedded default (the file lives in the data
   * directory the test gives the store), for PostgreSQL a new database on the shared server.
   */
  public DatabaseSettings freshDatabase() {
    return this == H2 ? DatabaseSettings.defaults() : postgres().createDatabase();
  }

  /** The shared PostgreSQL server, started on first use and stopped when the JVM exits. */
  public static synchronized PostgresProcess postgres() {
    if (server == null) {
      server = PostgresProcess.start();
    }
    return server;
  }
}
