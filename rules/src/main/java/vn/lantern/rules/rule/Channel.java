package vn.lantern.rules.rule;

/**
 * Where a rule's alert transitions are sent.
 *
 * @param type {@code webhook} or {@code mqtt}
 * @param target the webhook URL or the MQTT topic
 * @param secret HMAC-SHA256 key for webhook signatures, or null; never returned by the API
 */
public record Channel(String type, String target, String secret) {}
