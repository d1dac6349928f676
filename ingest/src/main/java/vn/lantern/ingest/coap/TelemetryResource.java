package vn.lantern.ingest.coap;

import io.vertx.core.Context;
import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import vn.lantern.common.telemetry.PayloadFormat;

/**
 * {@code /telemetry} (the device's own readings) and {@code /telemetry/{deviceId}} (a gateway
 * posting for a device behind it). Californium calls these handlers on its own threads; each POST
 * is handed to the Vert.x context the pipeline runs on, and Californium's thread returns at once.
 */
final class TelemetryResource extends CoapResource {
  static final String NAME = "telemetry";

  private final List<Context> contexts;
  private final CoapIngest ingest;
  private final DeviceTelemetry deviceTelemetry = new DeviceTelemetry();

  TelemetryResource(List<Context> contexts, CoapIngest ingest) {
    super(NAME);
    this.contexts = contexts;
    this.ingest = ingest;
    describe(this);
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    contextOf(exchange).runOnContext(v -> ingest.post(exchange, null));
  }

  /** The event loop of the requesting peer: one per peer, so a peer's requests stay in order. */
  private Context contextOf(CoapExchange exchange) {
    Object peer = exchange.advanced().getRequest().getSourceContext().getPeerAddress();
    return contexts.get(Math.floorMod(peer.hashCode(), contexts.size()));
  }

  /** Any single path segment below {@code /telemetry} names the target device. */
  @Override
  public Resource getChild(String name) {
    return deviceTelemetry;
  }

  private static void describe(CoapResource resource) {
    resource.getAttributes().addResourceType("lantern.telemetry");
    for (PayloadFormat format : PayloadFormat.values()) {
      resource.getAttributes().addContentType(format.coapContentFormat());
    }
  }

  /** {@code /telemetry/{deviceId}}: one resource serves every device id. */
  private final class DeviceTelemetry extends CoapResource {
    DeviceTelemetry() {
      super("{deviceId}", false);
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
      List<String> path = exchange.getRequestOptions().getUriPath();
      String target = path.get(path.size() - 1);
      contextOf(exchange).runOnContext(v -> ingest.post(exchange, target));
    }
  }
}
