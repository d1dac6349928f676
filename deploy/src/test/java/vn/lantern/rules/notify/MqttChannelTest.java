package vn.lantern.rules.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** Alert transitions published to an MQTT topic, received by a real MQTT server on port 0. */
@ExtendWith(InfluxDbExtension.class)
class MqttChannelTest {

  private record Received(String topic, MqttQoS qos, String payload) {}

  @Test
  void transitionsArePublishedToTheChannelTopic(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    Vertx brokerVertx = Vertx.vertx();
    List<Received> received = new CopyOnWriteArrayList<>();
    MqttServer broker =
        TestNode.await(
            MqttServer.create(brokerVertx)
                .endpointHandler(
                    endpoint -> {
                      endpoint.publishHandler(
                          message -> {
                            received.add(
                                new Received(
                                    message.topicName(),
                                    message.qosLevel(),
                                    message.payload().toString()));
                            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                              endpoint.publishAcknowledge(message.messageId());
                            }
                          });
                      endpoint.accept(false);
                    })
                .listen(0, "127.0.0.1"));
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 3)
            .set("rules.seedRulePacks", false)
            .set("rules.notifications.mqttHost", "127.0.0.1")
            .set("rules.notifications.mqttPort", broker.actualPort())
            .start()) {
      node.device("ng-noise-1", "noise", "hoi-an", "Night market");
      node.createRule(
          new JsonObject(
                  "{\"name\": \"too loud\", \"scope\": {\"zone\": \"hoi-an\", \"type\": \"noise\"},"
                      + " \"metric\": \"laeq\", \"condition\": {\"type\": \"threshold\", \"op\":"
                      + " \">\", \"value\": 70}, \"severity\": \"info\"}")
              .put(
                  "channels",
                  new JsonArray()
                      .add(
                          new JsonObject().put("type", "mqtt").put("topic", "ioc/alerts/hoi-an"))));
      MqttClient device = node.mqtt("ng-noise-1");
      publish(device, "laeq", 75);
      publish(device, "laeq", 60);
      awaitTrue("fired and resolved published", Duration.ofSeconds(10), () -> received.size() >= 2);
      assertEquals("ioc/alerts/hoi-an", received.get(0).topic());
      assertEquals(MqttQoS.AT_LEAST_ONCE, received.get(0).qos());
      assertEquals("fired", new JsonObject(received.get(0).payload()).getString("event"));
      assertEquals("resolved", new JsonObject(received.get(1).payload()).getString("event"));
      assertEquals(
          "ng-noise-1",
          new JsonObject(received.get(1).payload()).getJsonObject("alert").getString("device"));
      device.disconnect();
    } finally {
      brokerVertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
