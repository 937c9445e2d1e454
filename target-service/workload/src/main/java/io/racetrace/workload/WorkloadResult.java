package io.racetrace.workload;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A finished run: the schedule, every send's record, and the ground truth. */
public record WorkloadResult(Schedule schedule, OpenLoopSender.Result run, GroundTruth groundTruth) {

  /** Writes the ground truth as pretty JSON (parent directories created). */
  public void writeGroundTruth(Path out) throws IOException {
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(out.toFile(), groundTruth);
  }
}
