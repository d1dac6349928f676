package vn.lantern.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Reads or creates small secret files readable by their owner only. */
final class SecretFiles {
  private SecretFiles() {}

  /** Writes {@code content} to a new owner-only file; fails if the file exists. */
  static void create(Path file, String content) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw e;
    }
    Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
  }

  /** The file's content, creating it with a random secret on first use. */
  static String readOrCreate(Path file, int length) throws IOException {
    if (!Files.exists(file)) {
      create(file, PasswordHasher.randomSecret(length));
    }
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
