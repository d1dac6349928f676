package vn.lantern.common.store;

import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The references to zone ids held by one part of the node (rules, users, KPI definitions, …), moved
 * when one zone is merged into another. The registry runs every part's {@link #move} in one
 * transaction of the shared relational store, so a merge is applied whole or not at all; {@link
 * #moved} then lets the part refresh what it holds in memory.
 */
public interface ZoneReferences {

  /**
   * Rewrites every reference to zone {@code from} as {@code into}, within the caller's transaction.
   * Throwing rolls the whole merge back.
   */
  void move(Connection c, String from, String into) throws SQLException;

  /**
   * After the merge committed: refresh what is held in memory. Called on a worker thread; blocking
   * work may be done there, but waiting on other Vert.x work must go through the future.
   *
   * @return completed when memory has followed
   */
  default Future<Void> moved(String from, String into) {
    return Future.succeededFuture();
  }
}
