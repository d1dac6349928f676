package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node keeps of its zone merges once they have reached memory: nothing. A merge is an admin
 * action, but a node runs for years; the wait that lists answer behind must not grow with every
 * merge it has ever done.
 */
class MergesFollowedTest {
  private static final int MERGES = 20;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void completedMergesLeaveNothingBehind(@TempDir Path dataDir) throws Exception {
    DeviceRegistry registry = DeviceRegistry.open(vertx, dataDir, 1000).await();
    zone(registry, "mf-into");
    for (int i = 0; i < MERGES; i++) {
      zone(registry, "mf-" + i);
    }

    Future<List<String>> first = registry.mergeZone("mf-0", "mf-into", c -> {});
    WeakReference<Future<Void>> firstFollowed = new WeakReference<>(registry.mergesFollowed());
    first.await();
    for (int i = 1; i < MERGES; i++) {
      registry.mergeZone("mf-" + i, "mf-into", c -> {}).await();
    }

    assertTrue(registry.mergesFollowed().isComplete(), "every merge is in memory");
    assertEquals(MERGES, registry.aliasesOf("mf-into").size());
    for (int i = 0; i < 10 && firstFollowed.get() != null; i++) {
      System.gc();
    }
    assertNull(firstFollowed.get(), "the first merge's wait is still held after later merges");
    registry.close();
  }

  private static void zone(DeviceRegistry registry, String id) {
    registry
        .putZone(null, new JsonObject().put("id", id).put("name", id).put("kind", "ward"))
        .await();
  }
}
