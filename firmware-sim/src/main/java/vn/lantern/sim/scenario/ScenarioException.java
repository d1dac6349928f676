package vn.lantern.sim.scenario;

/** A scenario file that cannot be used; the message names the file, line, column and field. */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final String field;

  public ScenarioException(String message, int line, String field, Throwable cause) {
    super(message, cause);
    this.line = line;
    this.field = field;
  }

  /** 1-based line of the error, or -1 when unknown. */
  public int line() {
    return line;
  }

  /** Path of the field at fault, e.g. {@code devices[2].interval}, or empty for the whole file. */
  public String field() {
    return field;
  }
}
