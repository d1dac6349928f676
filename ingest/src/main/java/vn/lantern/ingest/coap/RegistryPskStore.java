package vn.lantern.ingest.coap;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import vn.lantern.ingest.pipeline.Pipeline;
import vn.lantern.ingest.registry.DeviceRegistry;

/**
 * Serves DTLS pre-shared keys from the device registry: the PSK identity is the device (or gateway)
 * id. Answers synchronously from the registry's memory, so a handshake never waits on the database;
 * an unknown identity gets no key, which fails the handshake, and is counted.
 */
final class RegistryPskStore implements AdvancedPskStore {
  private final DeviceRegistry registry;
  private final Pipeline pipeline;

  RegistryPskStore(DeviceRegistry registry, Pipeline pipeline) {
    this.registry = registry;
    this.pipeline = pipeline;
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return true;
  }

  @Override
  public PskSecretResult requestPskSecretResult(
      ConnectionId cid,
      ServerNames serverName,
      PskPublicInformation identity,
      String hmacAlgorithm,
      SecretKey otherSecret,
      byte[] seed,
      boolean useExtendedMasterSecret) {
    String id = identity.getPublicInfoAsString();
    Optional<byte[]> psk = registry.psk(id);
    SecretKey secret = null;
    if (psk.isPresent()) {
      secret = SecretUtil.create(psk.get(), PskSecretResult.ALGORITHM_PSK);
      Arrays.fill(psk.get(), (byte) 0);
    } else {
      pipeline.credentialsRefused(CoapEndpoint.PROTOCOL, id);
    }
    return new PskSecretResult(cid, identity, secret);
  }

  /** Only used by DTLS clients; the node is a server. */
  @Override
  public PskPublicInformation getIdentity(InetSocketAddress peer, ServerNames virtualHost) {
    return null;
  }

  /** Not needed: every answer is given synchronously. */
  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {}
}
