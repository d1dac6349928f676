package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonObject;
import vn.lantern.common.telemetry.DeviceRef;

/**
 * A registered device or gateway.
 *
 * @param id device id, also its MQTT username and CoAP identity
 * @param type device type (the InfluxDB measurement), or {@code gateway}
 * @param zone zone id; must exist in the registry
 * @param site site name, free text
 * @param lat latitude, optional
 * @param lon longitude, optional
 * @param gateway id of the gateway this device sits behind, optional
 * @param secretHash PBKDF2 hash of the device secret; {@code null} for a device that only talks
 *     through its gateway
 * @param pskCiphertext the device's DTLS pre-shared key encrypted by {@link PskCipher}; {@code
 *     null} when it has none
 * @param certSha256 the pinned SHA-256 fingerprint of its client certificate (64 lower-case hex
 *     digits), {@code null} when it has none
 * @param disabled refuses every credential of the device (and closes its sessions) without deleting
 *     it
 */
public record Device(
    String id,
    String type,
    String zone,
    String site,
    Double lat,
    Double lon,
    String gateway,
    String secretHash,
    String pskCiphertext,
    String certSha256,
    boolean disabled) {

  /** The device type of gateways, which publish for the devices registered behind them. */
  public static final String GATEWAY_TYPE = "gateway";

  /** A device without a pre-shared key. */
  public Device(
      String id,
      String type,
      String zone,
      String site,
      Double lat,
      Double lon,
      String gateway,
      String secretHash) {
    this(id, type, zone, site, lat, lon, gateway, secretHash, null, null, false);
  }

  /**
   * Whether a change from this registration to {@code next} revokes credentials in use: the device
   * is disabled, or its secret, PSK or certificate pin changed.
   */
  public boolean revokedBy(Device next) {
    return (next.disabled && !disabled)
        || !java.util.Objects.equals(secretHash, next.secretHash)
        || !java.util.Objects.equals(pskCiphertext, next.pskCiphertext)
        || !java.util.Objects.equals(certSha256, next.certSha256);
  }

  /** The same registration behind another gateway (or none). */
  public Device withGateway(String newGateway) {
    return new Device(
        id,
        type,
        zone,
        site,
        lat,
        lon,
        newGateway,
        secretHash,
        pskCiphertext,
        certSha256,
        disabled);
  }

  public boolean isGateway() {
    return GATEWAY_TYPE.equals(type);
  }

  /** The identity attached to this device's readings. */
  public DeviceRef ref() {
    return new DeviceRef(id, type, zone, site);
  }

  /** The public JSON view: everything but the secret hash and the PSK. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("id", id).put("type", type).put("zone", zone).put("site", site);
    if (lat != null) {
      json.put("lat", lat);
    }
    if (lon != null) {
      json.put("lon", lon);
    }
    if (gateway != null) {
      json.put("gateway", gateway);
    }
    json.put("hasSecret", secretHash != null);
    json.put("hasPsk", pskCiphertext != null);
    if (certSha256 != null) {
      json.put("certSha256", certSha256);
    }
    json.put("disabled", disabled);
    return json;
  }
}
