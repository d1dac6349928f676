package vn.lantern.deploy.kafka;

import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Stopping a thread that polls a Kafka consumer: the group member's and the events feed's. */
final class ConsumerThreads {
  private static final long JOIN_MS = 10_000;

  private ConsumerThreads() {}

  /**
   * Wakes {@code consumer} out of a blocking call ({@link KafkaConsumer#wakeup()} is its one
   * thread-safe method) and waits up to ten seconds for {@code thread} to end. The owner sets its
   * closed flag first, so the thread stops instead of starting a new session; either may be null.
   */
  static void stop(Thread thread, KafkaConsumer<?, ?> consumer) {
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(JOIN_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
