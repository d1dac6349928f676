package vn.lantern.common.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One step of someone else's transaction, e.g. the audit entry of the change it records. */
@FunctionalInterface
public interface TransactionStep {

  /** Runs within the caller's transaction; throwing rolls the whole of it back. */
  void run(Connection c) throws SQLException;
}
