package vn.lantern.ingest.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.store.RelationalStore;

/**
 * Tells this node about registry changes other nodes made in the shared PostgreSQL store: every
 * write sends {@code NOTIFY lantern_registry, 'device:<id>'} (or {@code zone:<id>}) in its
 * transaction, so it arrives when the change is committed, and this listener hands it to the
 * registry within a fraction of a second. One connection held on its own thread (PostgreSQL
 * delivers notifications to the listening session only). If that connection drops, notifications
 * sent meanwhile are lost, so after reconnecting the registry reloads everything.
 */
final class RegistryChangeListener implements AutoCloseable {
  static final String CHANNEL = "lantern_registry";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryChangeListener.class);
  private static final int POLL_MS = 500;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final RelationalStore db;
  private final BiConsumer<String, String> onChange;
  private final Runnable onResync;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param onChange called with the kind ({@code device} or {@code zone}) and the id
   * @param onResync called after a reconnection, when changes may have been missed
   */
  RegistryChangeListener(
      RelationalStore db, BiConsumer<String, String> onChange, Runnable onResync) {
    this.db = db;
    this.onChange = onChange;
    this.onResync = onResync;
    this.thread = new Thread(this::run, "registry-change-listener");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long backoff = 250;
    boolean first = true;
    while (running) {
      try (Connection c = db.dataSource().getConnection()) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        if (!first) {
          onResync.run();
        }
        first = false;
        backoff = 250;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MS);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              dispatch(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        LOG.warn(
            "event=registry_listener_failed error=\"{}\" retry_ms={}", e.getMessage(), backoff);
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        first = false;
      }
    }
  }

  private void dispatch(String payload) {
    int colon = payload.indexOf(':');
    if (colon <= 0) {
      LOG.warn("event=registry_notification_ignored payload=\"{}\"", payload);
      return;
    }
    onChange.accept(payload.substring(0, colon), payload.substring(colon + 1));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(POLL_MS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
