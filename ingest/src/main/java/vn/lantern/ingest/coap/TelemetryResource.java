package vn.lantern.ingest.coap;

import java.util.List;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import vn.lantern.common.telemetry.PayloadFormat;

/**
 * {@code /telemetry} (the device's own readings) and {@code /telemetry/{deviceId}} (a gateway
 * posting for a device behind it). Californium calls these handlers on its own threads; each POST
 * is handed to the event loop of its peer's {@link CoapIngest}, and Californium's thread returns at
 * once.
 */
final class TelemetryResource extends CoapResource {
  static final String NAME = "telemetry";

  private final List<CoapIngest> lanes;
  private final DeviceTelemetry deviceTelemetry = new DeviceTelemetry();

  TelemetryResource(List<CoapIngest> lanes) {
    super(NAME);
    this.lanes = lanes;
    describe(this);
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    laneOf(exchange).submit(exchange, null);
  }

  /** The event loop of the requesting peer: one per peer, so a peer's requests stay in order. */
  private CoapIngest laneOf(CoapExchange exchange) {
    Object peer = exchange.advanced().getRequest().getSourceContext().getPeerAddress();
    return lanes.get(Math.floorMod(peer.hashCode(), lanes.size()));
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
      laneOf(exchange).submit(exchange, target);
    }
  }
}
