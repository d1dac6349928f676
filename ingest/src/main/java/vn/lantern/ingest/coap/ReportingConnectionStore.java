package vn.lantern.ingest.coap;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.InMemoryReadWriteLockConnectionStore;

/**
 * Scandium's own connection store, built as its connector would build it, that also reports each
 * handshake it has no room for. When the store is full (and its least recently used connection is
 * not stale), Scandium drops the client's hello with no alert and no counter, only a warning of its
 * own: the device just times out. Scandium offers no other hook for it.
 */
final class ReportingConnectionStore extends InMemoryReadWriteLockConnectionStore {
  private final Consumer<InetSocketAddress> onFull;

  /**
   * @param onFull told the peer address of each connection refused for lack of room; runs on
   *     Scandium's thread under the store's lock, so it must be quick
   */
  ReportingConnectionStore(DtlsConnectorConfig config, Consumer<InetSocketAddress> onFull) {
    super(
        config.get(DtlsConfig.DTLS_MAX_CONNECTIONS),
        config.get(DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD, TimeUnit.SECONDS),
        config.getSessionStore(),
        config.get(DtlsConfig.DTLS_REMOVE_STALE_DOUBLE_PRINCIPALS));
    setTag(config.getLoggingTag());
    this.onFull = onFull;
  }

  @Override
  public boolean put(Connection connection) {
    boolean stored = super.put(connection);
    if (!stored && remainingCapacity() == 0) {
      onFull.accept(connection.getPeerAddress());
    }
    return stored;
  }
}
