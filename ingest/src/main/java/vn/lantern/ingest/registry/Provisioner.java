package vn.lantern.ingest.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import vn.lantern.common.http.InvalidFieldException;

/**
 * Applies a provisioning file (YAML or JSON: {@code zones:} and {@code devices:} lists in the API's
 * JSON shape) to the registry. Creating or replacing is idempotent, so the same file can be applied
 * at every start.
 */
public final class Provisioner {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final DeviceRegistry registry;

  public Provisioner(DeviceRegistry registry) {
    this.registry = registry;
  }

  /** Reads the file (blocking, small) and applies zones, then devices, in file order. */
  @SuppressWarnings("unchecked")
  public Future<Integer> apply(Path file) {
    JsonObject content;
    try {
      content = new JsonObject(YAML.readValue(Files.readAllBytes(file), Map.class));
    } catch (IOException e) {
      return Future.failedFuture(new IOException("cannot read " + file + ": " + e.getMessage(), e));
    }
    Future<Integer> chain = Future.succeededFuture(0);
    for (Object zone : content.getJsonArray("zones", new JsonArray())) {
      JsonObject body = (JsonObject) zone;
      chain = chain.compose(n -> registry.putZone(body.getString("id"), body).map(c -> n));
    }
    for (Object device : content.getJsonArray("devices", new JsonArray())) {
      JsonObject body = (JsonObject) device;
      chain =
          chain.compose(
              n ->
                  registry
                      .putDevice(body)
                      .map(c -> n + 1)
                      .recover(
                          e ->
                              Future.failedFuture(
                                  new IllegalArgumentException(
                                      file
                                          + ": device "
                                          + body.getValue("id")
                                          + ": "
                                          + (e instanceof InvalidFieldException f
                                              ? f.field() + " " + f.getMessage()
                                              : e.getMessage())))));
    }
    return chain;
  }
}
