package vn.lantern.ioc.stream;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import vn.lantern.ioc.IocMeters;

/**
 * Fans live events out to the stream's subscribers and keeps the latest ones in a bounded ring
 * buffer so a client that reconnects with {@code Last-Event-ID} gets what it missed. Ids start at
 * the node's start time in microseconds, so they keep increasing across restarts and an id from an
 * earlier run is recognised as a gap. Thread-safe.
 */
public final class EventHub {
  private final int capacity;
  private final Deque<StreamEvent> buffer = new ArrayDeque<>();
  private final Set<Consumer<StreamEvent>> subscribers = new CopyOnWriteArraySet<>();
  private final AtomicInteger subscriberGauge;
  private long nextId = System.currentTimeMillis() * 1000;

  public EventHub(int capacity, MeterRegistry metrics) {
    this.capacity = capacity;
    this.subscriberGauge = metrics.gauge(IocMeters.STREAM_SUBSCRIBERS, new AtomicInteger());
  }

  /** Publishes an event to every subscriber and the ring buffer. */
  public synchronized StreamEvent publish(String type, String zone, String data) {
    StreamEvent event = new StreamEvent(nextId++, type, zone, data);
    buffer.addLast(event);
    if (buffer.size() > capacity) {
      buffer.removeFirst();
    }
    for (Consumer<StreamEvent> subscriber : subscribers) {
      subscriber.accept(event);
    }
    return event;
  }

  /** The id of the latest event (a client that saw it has seen everything). */
  public synchronized long lastId() {
    return nextId - 1;
  }

  /** What a resuming subscriber gets: the events it missed, or a gap if they are gone. */
  public record Resume(List<StreamEvent> missed, boolean gap) {}

  /**
   * Subscribes; events after {@code lastSeenId} still in the buffer are returned, atomically with
   * the subscription, so none is lost or duplicated between the two.
   *
   * @param lastSeenId the last id the client saw, or null for a fresh subscription
   */
  public synchronized Resume subscribe(Long lastSeenId, Consumer<StreamEvent> subscriber) {
    subscribers.add(subscriber);
    subscriberGauge.set(subscribers.size());
    if (lastSeenId == null || lastSeenId >= nextId - 1) {
      return new Resume(List.of(), false);
    }
    long oldest = buffer.isEmpty() ? nextId : buffer.peekFirst().id();
    List<StreamEvent> missed = new ArrayList<>();
    for (StreamEvent e : buffer) {
      if (e.id() > lastSeenId) {
        missed.add(e);
      }
    }
    return new Resume(missed, lastSeenId < oldest - 1);
  }

  /** Stops delivering to a subscriber. */
  public void unsubscribe(Consumer<StreamEvent> subscriber) {
    subscribers.remove(subscriber);
    subscriberGauge.set(subscribers.size());
  }
}
