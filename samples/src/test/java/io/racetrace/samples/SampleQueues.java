package io.racetrace.samples;

import io.racetrace.analyzer.Analysis;
import io.racetrace.analyzer.model.AnalysisResult;
import io.racetrace.analyzer.model.CriteriaLoader;
import io.racetrace.analyzer.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The checked-in sample captures and their expected reports. */
final class SampleQueues {
  static final Path QUEUES = ServiceProcess.ROOT.resolve("samples/queues");
  static final Path EXPECTED = ServiceProcess.ROOT.resolve("samples/expected");

  private SampleQueues() {}

  static List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(QUEUES)) {
      return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Analyzes a sample with the default criteria, as {@code racetrace analyze samples/queues/NAME} does. */
  static AnalysisResult analyze(String name) throws Exception {
    return Analysis.run(List.of(QUEUES.resolve(name)), CriteriaLoader.defaults());
  }

  static void writeReports(AnalysisResult r, Path dir) throws Exception {
    ReportWriter.writeAll(r, dir);
  }
}
