package vn.lantern.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.common.store.DatabaseSettings;
import vn.lantern.common.store.RelationalStore;
import vn.lantern.common.telemetry.DeviceRef;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.ingest.registry.RegistryStore;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * What a rules node reads of the device registry right after a zone merge. The merging node's
 * {@code /api/v1/devices} and {@code /api/v1/zones} never answer with the list the merge's commit
 * left behind, and a rules node's copy shows the merge even when the ingest node it reads from has
 * not caught up with the store yet (another ingest node of a cluster, a moment after the merge).
 */
@ExtendWith(InfluxDbExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneMergeDirectoryTest {
  private TestNode node;
  private Path dataDir;

  @BeforeAll
  void startNode(TestInflux influx, @TempDir Path dir) throws Exception {
    dataDir = dir;
    node = TestNode.builder(dir, influx.url(), influx.database()).start();
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /**
   * A read of the device list that reaches the merging node while its transaction is open (held
   * open by a step of the transaction until the read is answered or 2 s have passed) answers with
   * the merged list, not the one the store is leaving.
   */
  @Test
  void theMergingNodesListsAnswerOnlyOnceTheyShowTheMerge() throws Exception {
    node.ward("gap-old", "da-nang");
    node.ward("gap-new", "da-nang");
    node.register("gap-dev", "water_level", "gap-old", "Trạm", TestNode.secret("gap-dev"));
    CompletableFuture<Response>[] during = new CompletableFuture[2];
    node.node()
        .ingest()
        .registry()
        .addZoneReferences(
            (c, from, into) -> {
              if (!"gap-old".equals(from)) {
                return;
              }
              during[0] =
                  CompletableFuture.supplyAsync(() -> node.get("/api/v1/devices?zone=gap-old"));
              during[1] = CompletableFuture.supplyAsync(() -> node.get("/api/v1/zones"));
              try {
                CompletableFuture.allOf(during).get(2, TimeUnit.SECONDS);
              } catch (TimeoutException e) {
                // the reads wait for the merge: let it commit
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    Response merged = node.mergeZone("gap-old", "gap-new");
    assertEquals(200, merged.status(), merged.body());

    Response devices = during[0].get(30, TimeUnit.SECONDS);
    assertEquals(200, devices.status(), devices.body());
    assertTrue(
        devices.json().getJsonArray("items").isEmpty(),
        "no device is left in the merged zone: " + devices.body());
    Response zones = during[1].get(30, TimeUnit.SECONDS);
    assertFalse(
        zones.json().getJsonArray("items").stream()
            .anyMatch(z -> "gap-old".equals(((JsonObject) z).getString("id"))),
        "the merged zone is gone: " + zones.body());
  }

  /**
   * The store has the merge, the ingest node read from does not (here: merged in the store behind
   * its back, as another ingest node does, which this one learns of only later): the rules node's
   * copy, refreshed after the merge, places the devices in the surviving zone all the same.
   */
  @Test
  void aCopyReadFromANodeBehindTheStoreShowsTheMerge() throws Exception {
    node.ward("lag-old", "da-nang");
    node.ward("lag-new", "da-nang");
    node.ward("lag-child", "lag-old");
    node.register("lag-dev", "water_level", "lag-old", "Trạm", TestNode.secret("lag-dev"));
    RelationalStore db = RelationalStore.acquire(DatabaseSettings.defaults(), dataDir);
    RemoteDirectory directory =
        new RemoteDirectory(
            node.vertx(),
            node.apiUrl(),
            TestNode.SERVICE_TOKEN,
            DatabaseSettings.defaults(),
            dataDir);
    try {
      TestNode.await(directory.start(60_000));
      RegistryStore.in(db).mergeZone("lag-old", "lag-new", List.of());
      assertEquals(
          "lag-old",
          node.get("/api/v1/devices/lag-dev").json().getString("zone"),
          "the node read from has not caught up");

      TestNode.await(directory.refresh());

      assertEquals(
          "lag-new",
          directory.devices().stream()
              .filter(d -> d.id().equals("lag-dev"))
              .map(DeviceRef::zone)
              .collect(Collectors.joining()),
          "the device is in the surviving zone");
      assertFalse(directory.zoneExists("lag-old"), "the merged zone is gone");
      assertEquals("lag-new", directory.zoneAliases().get("lag-old"));
      assertEquals("lag-new", directory.zoneParents().get("lag-child"));
    } finally {
      directory.stop();
      db.close();
    }
  }
}
