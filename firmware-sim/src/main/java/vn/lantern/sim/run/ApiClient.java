package vn.lantern.sim.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import vn.lantern.sim.scenario.DeviceSpec;

/**
 * The node's registry API as the simulator uses it: {@code PUT /api/v1/devices/{id}} creates or
 * replaces a device, so provisioning twice changes nothing. Requests carry {@code Authorization:
 * Bearer <token>} when a token is given.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARALLEL = 8;

  private final String base;
  private final String token;
  private final HttpClient http;

  /**
   * @param apiUrl e.g. {@code http://127.0.0.1:8080}
   * @param token bearer token, or {@code null}/empty for an open API
   */
  public ApiClient(String apiUrl, String token) {
    this.base = apiUrl.replaceAll("/+$", "");
    this.token = token == null || token.isBlank() ? null : token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** What provisioning did. */
  public record Provisioned(int created, int updated, List<String> failures) {}

  /** Registers (or updates) every device; a few requests run in parallel. */
  public Provisioned provision(List<DeviceSpec> devices) throws InterruptedException {
    Semaphore slots = new Semaphore(PARALLEL);
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (DeviceSpec device : devices) {
      slots.acquire();
      pending.add(
          http.sendAsync(
                  put("/api/v1/devices/" + device.id(), body(device)),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete((r, e) -> slots.release()));
    }
    int created = 0;
    int updated = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      String id = devices.get(i).id();
      try {
        HttpResponse<String> response = pending.get(i).join();
        switch (response.statusCode()) {
          case 201 -> created++;
          case 200 -> updated++;
          default -> failures.add(id + ": HTTP " + response.statusCode() + " " + response.body());
        }
      } catch (RuntimeException e) {
        failures.add(id + ": " + e.getCause());
      }
    }
    return new Provisioned(created, updated, failures);
  }

  /** Registers one device with explicit fields (the load generator's devices). */
  public CompletableFuture<Integer> putDeviceAsync(ObjectNode device) {
    return http.sendAsync(
            put("/api/v1/devices/" + device.get("id").asText(), device.toString()),
            HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r -> {
              if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new IllegalStateException(
                    device.get("id").asText() + ": HTTP " + r.statusCode() + " " + r.body());
              }
              return r.statusCode();
            });
  }

  private HttpRequest put(String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static String body(DeviceSpec device) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", device.id());
    json.put("type", device.type().measurement());
    json.put("zone", device.group().zone());
    json.put("site", device.group().site());
    if (device.group().lat() != null) {
      json.put("lat", device.group().lat());
    }
    if (device.group().lon() != null) {
      json.put("lon", device.group().lon());
    }
    json.put("secret", device.secret());
    if (device.psk() != null) {
      json.put("psk", device.psk());
    }
    return json.toString();
  }
}
