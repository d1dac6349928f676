package vn.lantern.rules.rule;

/**
 * Where a rule's alert transitions are sent.
 *
 * @param type {@code webhook} or {@code mqtt}
 * @param target the webhook URL or the MQTT topic
 * @param secret HMAC-SHA256 key for webhook signatures, or null; never returned by the API
 */
public record Channel(String type, String target, String secret) {

  /**
   * The MQTT topics of a zone's notifications start with this: a zone manager may name no others,
   * and a zone merge moves them to the surviving zone's.
   */
  public static String zoneTopicPrefix(String zone) {
    return "lantern/" + zone + "/";
  }
}
