package vn.lantern.ioc.stream;

/**
 * One event of the live stream.
 *
 * @param id its id, increasing
 * @param type SSE event name: {@code kpi} or {@code alert}
 * @param zone the zone it belongs to (for access control)
 * @param data JSON text
 */
public record StreamEvent(long id, String type, String zone, String data) {

  /** The event in {@code text/event-stream} framing. */
  public String frame() {
    return "id: " + id + "\nevent: " + type + "\ndata: " + data + "\n\n";
  }
}
