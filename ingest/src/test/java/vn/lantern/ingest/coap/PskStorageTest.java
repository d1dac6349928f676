package vn.lantern.ingest.coap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.http.InvalidFieldException;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.ingest.registry.DeviceRegistry;
import vn.lantern.ingest.registry.PskCipher;

/** Device PSKs are kept encrypted at rest and served from memory. */
class PskStorageTest {
  private static final String PSK = "tamky-aq-psk-0123456789";
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() {
    await(vertx.close());
  }

  private static JsonObject device(String psk) {
    return new JsonObject()
        .put("id", "tamky-aq-01")
        .put("type", "air_quality")
        .put("zone", "tam-ky")
        .put("site", "Tam Ky")
        .put("psk", psk);
  }

  @Test
  void pskIsEncryptedOnDiskUnderAnOwnerOnlyKeyFile(@TempDir Path dataDir) throws Exception {
    DeviceRegistry registry = await(DeviceRegistry.open(vertx, dataDir, 1000));
    try {
      await(registry.putDevice(device(PSK)));
      assertArrayEquals(
          PSK.getBytes(StandardCharsets.US_ASCII), registry.psk("tamky-aq-01").orElseThrow());
      JsonObject json = registry.device("tamky-aq-01").orElseThrow().toJson();
      assertTrue(json.getBoolean("hasPsk"));
      assertFalse(json.encode().contains(PSK));
      assertTrue(registry.device("tamky-aq-01").orElseThrow().pskCiphertext().startsWith("v1:"));
    } finally {
      registry.close();
    }
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("psk.key"))));
    byte[] database = Files.readAllBytes(dataDir.resolve(RelationalStore.EMBEDDED_FILE + ".mv.db"));
    assertFalse(
        new String(database, StandardCharsets.ISO_8859_1).contains(PSK),
        "the PSK is in the registry file in clear");

    DeviceRegistry reopened = await(DeviceRegistry.open(vertx, dataDir, 1000));
    try {
      assertArrayEquals(
          PSK.getBytes(StandardCharsets.US_ASCII), reopened.psk("tamky-aq-01").orElseThrow());
      await(reopened.putDevice(device(null).put("site", "Tam Ky centre")));
      assertTrue(reopened.psk("tamky-aq-01").isPresent(), "an omitted psk keeps the stored one");
    } finally {
      reopened.close();
    }
  }

  @Test
  void anotherNodeKeyCannotReadThePsk(@TempDir Path dataDir) {
    DeviceRegistry registry = await(DeviceRegistry.open(vertx, dataDir, 1000));
    try {
      await(registry.putDevice(device(PSK)));
    } finally {
      registry.close();
    }
    String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
    DeviceRegistry other = await(DeviceRegistry.open(vertx, dataDir, 1000, otherKey));
    try {
      assertTrue(other.psk("tamky-aq-01").isEmpty());
    } finally {
      other.close();
    }
  }

  @Test
  void ciphertextIsBoundToItsDevice(@TempDir Path dataDir) {
    PskCipher cipher = PskCipher.open("", dataDir);
    String sealed = cipher.encrypt("device-a", new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, cipher.decrypt("device-a", sealed));
    assertThrows(IllegalStateException.class, () -> cipher.decrypt("device-b", sealed));
  }

  @Test
  void shortOrNonAsciiPskIsRefused(@TempDir Path dataDir) {
    DeviceRegistry registry = await(DeviceRegistry.open(vertx, dataDir, 1000));
    try {
      for (String bad :
          new String[] {"too-short", "has a space in it 0123", "khóa-bí-mật-0123456789"}) {
        IllegalStateException e =
            assertThrows(IllegalStateException.class, () -> await(registry.putDevice(device(bad))));
        InvalidFieldException cause = (InvalidFieldException) e.getCause();
        assertEquals("psk", cause.field());
      }
    } finally {
      registry.close();
    }
  }

  /** Waits for a Vert.x future; a failure is rethrown as IllegalStateException with its cause. */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
