package vn.lantern.auth;

/**
 * An external OpenID Connect issuer whose access tokens the API accepts.
 *
 * @param issuer issuer URL (its {@code .well-known/openid-configuration} is read at start); empty
 *     for none
 * @param audience required {@code aud}, empty to skip the check
 * @param roleClaim claim holding {@code admin}, {@code zone-manager} or {@code operator}
 * @param zonesClaim claim holding a zone manager's zone ids (an array)
 */
public record OidcSettings(String issuer, String audience, String roleClaim, String zonesClaim) {

  public static OidcSettings defaults() {
    return new OidcSettings("", "", "lantern_role", "lantern_zones");
  }

  public boolean enabled() {
    return issuer != null && !issuer.isEmpty();
  }
}
