package vn.lantern.auth;

/**
 * Names of the meters of the HTTP API, as they appear on {@code /metrics}: {@code
 * lantern_<area>_<what>_<unit>}, counters ending in {@code _total}.
 */
public final class ApiMeters {
  /** API answers with a 4xx or 5xx status, per status. */
  public static final String ERRORS = "lantern_api_errors_total";

  private ApiMeters() {}
}
