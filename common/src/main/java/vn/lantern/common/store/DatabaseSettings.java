package vn.lantern.common.store;

/**
 * Where the relational store lives (config section {@code db}).
 *
 * @param url JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/lantern}; empty for the
 *     embedded H2 file {@code lantern.mv.db} in the node's data directory
 * @param user database user (ignored for the embedded file)
 * @param password its password
 * @param maxPoolSize most connections the node's pool holds
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {

  /** The documented defaults: the embedded H2 file. */
  public static DatabaseSettings defaults() {
    return new DatabaseSettings("", "lantern", "", 10);
  }

  /** True when the store is the embedded H2 file in the data directory. */
  public boolean embedded() {
    return url == null || url.isBlank();
  }
}
