package vn.lantern.ingest.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The persistent MQTT sessions of one node: which (device, client id) pairs asked for a session
 * that outlives their connection (MQTT 3.1.1 cleanSession = 0, MQTT 5 Clean Start = 0 with a
 * session expiry interval), so a reconnecting client is told session-present = 1 and retransmits
 * its unacknowledged publishes instead of discarding them.
 *
 * <p>A session also remembers when each of its recent QoS 1/2 publishes arrived, by packet id, so a
 * retransmission (DUP flag, same packet id) of readings that carry no time of their own is stamped
 * with the first arrival's time and overwrites the stored point instead of adding a second one.
 *
 * <p>Sessions live in memory: a node restart forgets them (clients then see session-present = 0
 * and, per the protocol, start afresh). Expiry is capped at {@link #MAX_EXPIRY_SECONDS}.
 */
final class PersistentSessions {
  /** The longest a session outlives its connection: MQTT 3.1.1 sessions never expire otherwise. */
  static final long MAX_EXPIRY_SECONDS = 24 * 3600;

  /**
   * Most sessions kept; beyond it new persistent sessions are not remembered (no memory blow-up).
   */
  static final int MAX_SESSIONS = 200_000;

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** One persistent session's state. */
  static final class Session {
    // Retransmissions only concern publishes still unacknowledged at the client, i.e. at most its
    // in-flight window; 128 covers Paho (10), mosquitto_pub (20) and common gateway windows.
    private static final int REMEMBERED_PUBLISHES = 128;

    private volatile long expirySeconds;
    private volatile long expiresAtMs = Long.MAX_VALUE;
    private int[] packetIds;
    private long[] arrivedAtMs;
    private int next;

    /**
     * When the publish with {@code packetId} arrived: for a retransmission ({@code dup}) of one
     * this session has seen, the first arrival's time; otherwise {@code nowMs}, remembered.
     */
    synchronized long arrivalTime(int packetId, boolean dup, long nowMs) {
      if (packetIds == null) {
        packetIds = new int[REMEMBERED_PUBLISHES];
        arrivedAtMs = new long[REMEMBERED_PUBLISHES];
      }
      for (int i = 0; i < REMEMBERED_PUBLISHES; i++) {
        if (packetIds[i] == packetId) {
          if (dup) {
            return arrivedAtMs[i];
          }
          arrivedAtMs[i] = nowMs; // the client reused the id for a new message
          return nowMs;
        }
      }
      packetIds[next] = packetId;
      arrivedAtMs[next] = nowMs;
      next = (next + 1) % REMEMBERED_PUBLISHES;
      return nowMs;
    }

    /** The session is in use again; it expires {@code expirySeconds} after the next disconnect. */
    void connected(long expirySeconds) {
      this.expirySeconds = expirySeconds;
      expiresAtMs = Long.MAX_VALUE;
    }

    void disconnected(long nowMs) {
      expiresAtMs = nowMs + expirySeconds * 1000;
    }

    boolean expired(long nowMs) {
      return nowMs >= expiresAtMs;
    }
  }

  /** The result of a CONNECT: the session to use (null when none persists) and what to answer. */
  record Opened(Session session, boolean present) {}

  /**
   * Opens the session of {@code clientId} for {@code deviceId} on CONNECT.
   *
   * @param cleanStart MQTT 3.1.1 cleanSession or MQTT 5 Clean Start
   * @param expirySeconds how long the client wants the session kept after disconnecting (0: ends
   *     with the connection); capped at {@link #MAX_EXPIRY_SECONDS}
   */
  Opened open(
      String deviceId, String clientId, boolean cleanStart, long expirySeconds, long nowMs) {
    String key = deviceId + '\u0000' + clientId;
    Session existing = sessions.get(key);
    boolean present = existing != null && !cleanStart && !existing.expired(nowMs);
    long expiry = Math.min(Math.max(expirySeconds, 0), MAX_EXPIRY_SECONDS);
    if (expiry == 0 || clientId.isEmpty()) {
      sessions.remove(key);
      return new Opened(null, false);
    }
    Session session = present ? existing : new Session();
    if (!present) {
      if (existing == null && sessions.size() >= MAX_SESSIONS) {
        removeExpired(nowMs);
        if (sessions.size() >= MAX_SESSIONS) {
          return new Opened(null, false);
        }
      }
      sessions.put(key, session);
    }
    session.connected(expiry);
    return new Opened(session, present);
  }

  /** Forgets expired sessions; called periodically. */
  void removeExpired(long nowMs) {
    sessions.values().removeIf(session -> session.expired(nowMs));
  }

  int size() {
    return sessions.size();
  }
}
