package vn.lantern.ingest.coap;

import io.micrometer.core.instrument.Counter;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.KeyMID;
import org.eclipse.californium.core.network.deduplication.Deduplicator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.lantern.common.logging.LogWindow;

/**
 * Californium's deduplicator, made to answer from memory only requests that are retransmissions.
 *
 * <p>Californium takes any request whose message id it remembers from the same peer as a
 * retransmission and answers it with the remembered response. A device that restarts, keeps its
 * source port (a fixed port, or a NAT that maps it again) and counts message ids from where it
 * began before may send a new reading under an id the node still remembers: it would get a 2.04 for
 * readings never stored. A retransmission repeats the request byte for byte, so a remembered
 * request with another token or payload is replaced by the new one, which is then ingested.
 */
final class RetransmissionDeduplicator implements Deduplicator {
  private static final Logger LOG = LoggerFactory.getLogger(RetransmissionDeduplicator.class);

  private final Deduplicator remembered;
  private final Counter reusedIds;
  private final LogWindow logWindow = new LogWindow(60_000);

  RetransmissionDeduplicator(Deduplicator remembered, Counter reusedIds) {
    this.remembered = remembered;
    this.reusedIds = reusedIds;
  }

  @Override
  public Exchange findPrevious(KeyMID key, Exchange exchange) {
    while (true) {
      Exchange previous = remembered.findPrevious(key, exchange);
      if (previous == null
          || isRetransmission(previous.getCurrentRequest(), exchange.getCurrentRequest())) {
        return previous;
      }
      if (remembered.replacePrevious(key, previous, exchange)) {
        reusedIds.increment();
        long reused = logWindow.take(System.currentTimeMillis());
        if (reused > 0) {
          LOG.info(
              "event=coap_message_id_reused requests={} peer={} mid={}",
              reused,
              key.getPeer(),
              key.getMID());
        }
        return null;
      }
      // another thread changed the entry between the two calls: look again
    }
  }

  private static boolean isRetransmission(Request previous, Request request) {
    return previous != null
        && Objects.equals(previous.getToken(), request.getToken())
        && Arrays.equals(previous.getPayload(), request.getPayload());
  }

  @Override
  public boolean replacePrevious(KeyMID key, Exchange previous, Exchange exchange) {
    return remembered.replacePrevious(key, previous, exchange);
  }

  @Override
  public Exchange find(KeyMID key) {
    return remembered.find(key);
  }

  @Override
  public void start() {
    remembered.start();
  }

  @Override
  public void stop() {
    remembered.stop();
  }

  @Override
  public void setExecutor(ScheduledExecutorService executor) {
    remembered.setExecutor(executor);
  }

  @Override
  public boolean isEmpty() {
    return remembered.isEmpty();
  }

  @Override
  public int size() {
    return remembered.size();
  }

  @Override
  public void clear() {
    remembered.clear();
  }
}
