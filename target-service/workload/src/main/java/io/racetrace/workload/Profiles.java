package io.racetrace.workload;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Loading profiles and fingerprinting them. */
public final class Profiles {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();
  /**
   * The canonical form hashed by {@link #fingerprint}: properties sorted, no whitespace. Map entries
   * keep their order: the inventory's order is the popularity rank, so it is part of the workload.
   */
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build();

  private Profiles() {}

  /**
   * Reads a profile from a file ({@code .yaml}/{@code .yml} as YAML, anything else as JSON), or,
   * if no such file exists, the bundled profile of that name ({@code seed-peak}, {@code hot-sku}).
   */
  public static WorkloadProfile load(String fileOrName) throws IOException {
    Path p = Path.of(fileOrName);
    if (Files.isRegularFile(p)) {
      try (InputStream in = Files.newInputStream(p)) {
        return read(in, fileOrName.endsWith(".yaml") || fileOrName.endsWith(".yml"));
      }
    }
    for (String ext : new String[] {".json", ".yaml"}) {
      InputStream in = Profiles.class.getResourceAsStream("/profiles/" + fileOrName + ext);
      if (in != null) {
        try (in) {
          return read(in, ext.equals(".yaml"));
        }
      }
    }
    throw new IOException("no profile file or bundled profile named " + fileOrName);
  }

  static WorkloadProfile read(InputStream in, boolean yaml) throws IOException {
    return (yaml ? YAML : JSON).readValue(in, WorkloadProfile.class);
  }

  /** {@code sha256:<hex>} of the canonical JSON of the normalized profile; it includes the seed. */
  public static String fingerprint(WorkloadProfile profile) {
    try {
      return sha256(CANONICAL.writeValueAsBytes(profile.normalized()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
