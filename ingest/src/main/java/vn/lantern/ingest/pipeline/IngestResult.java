package vn.lantern.ingest.pipeline;

/**
 * The pipeline's answer to one message.
 *
 * @param outcome what happened
 * @param message a short diagnostic for the client (CoAP payload, logs), empty when accepted
 * @param field the payload field at fault, or {@code null}
 * @param readings readings stored (0 unless accepted)
 */
public record IngestResult(Outcome outcome, String message, String field, int readings) {

  static IngestResult accepted(int readings) {
    return new IngestResult(Outcome.ACCEPTED, "", null, readings);
  }

  static IngestResult refused(Outcome outcome, String message, String field) {
    return new IngestResult(outcome, message, field, 0);
  }

  public boolean accepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
