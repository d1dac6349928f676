package vn.lantern.auth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users declared in a YAML file with hashed passwords, applied at every start (the file wins for
 * the users it names; users added through the API are kept):
 *
 * <pre>
 * users:
 *   - username: hoian-manager
 *     passwordHash: pbkdf2-sha256$210000$...$...   # from: java -cp lantern-standalone.jar
 *     role: zone-manager                            #   vn.lantern.auth.PasswordHasher
 *     zones: [hoi-an]
 * </pre>
 *
 * Blocking: call from a worker thread.
 */
public final class UsersFile {
  private static final Logger LOG = LoggerFactory.getLogger(UsersFile.class);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private UsersFile() {}

  /** The file's shape. */
  record Content(List<Entry> users) {}

  /** One user in the file. */
  record Entry(String username, String passwordHash, String role, List<String> zones) {}

  /**
   * Reads the file and saves its users.
   *
   * @throws IllegalArgumentException naming the entry and field at fault
   */
  public static int apply(Path file, UserStore store, Predicate<String> zoneExists)
      throws IOException {
    Content content = YAML.readValue(file.toFile(), Content.class);
    List<Entry> entries = content == null || content.users() == null ? List.of() : content.users();
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      String where = file + ": users[" + i + "].";
      if (e.username() == null || !e.username().matches("[a-z0-9][a-z0-9._-]{1,63}")) {
        throw new IllegalArgumentException(where + "username must match [a-z0-9][a-z0-9._-]{1,63}");
      }
      if (e.passwordHash() == null || !PasswordHasher.isHash(e.passwordHash())) {
        throw new IllegalArgumentException(
            where + "passwordHash must be a pbkdf2-sha256$iterations$salt$hash value");
      }
      Role role = Role.parseUserRole(e.role());
      if (role == null) {
        throw new IllegalArgumentException(where + "role must be admin, zone-manager or operator");
      }
      Set<String> zones = new LinkedHashSet<>(e.zones() == null ? List.of() : e.zones());
      for (String zone : zones) {
        if (!zoneExists.test(zone)) {
          throw new IllegalArgumentException(where + "zones: unknown zone '" + zone + "'");
        }
      }
      if ((role == Role.ZONE_MANAGER) == zones.isEmpty()) {
        throw new IllegalArgumentException(
            where + "zones are required for, and only for, zone managers");
      }
      store.save(new User(e.username(), e.passwordHash(), role, zones));
    }
    LOG.info("event=users_file_applied file={} users={}", file, entries.size());
    return entries.size();
  }
}
