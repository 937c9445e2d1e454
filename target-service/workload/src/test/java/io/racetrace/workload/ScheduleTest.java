package io.racetrace.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static WorkloadProfile testProfile() throws Exception {
    return Profiles.load(Path.of("src/test/resources/race-small.json").toString());
  }

  @Test
  void of_sameProfileAndSeed_identicalSchedule() throws Exception {
    Schedule a = Schedule.of(testProfile());
    Schedule b = Schedule.of(testProfile());
    assertEquals(a.requests(), b.requests());
    assertEquals(a.digest(), b.digest());
    assertEquals(Profiles.fingerprint(a.profile()), Profiles.fingerprint(b.profile()));
  }

  @Test
  void of_otherSeed_otherIdsSkusAndFingerprint() throws Exception {
    WorkloadProfile p = testProfile();
    Schedule a = Schedule.of(p);
    Schedule b = Schedule.of(p.withSeed(100));
    assertNotEquals(a.digest(), b.digest());
    assertNotEquals(Profiles.fingerprint(p), Profiles.fingerprint(p.withSeed(100)));
    assertNotEquals(a.requests().get(0).requestId(), b.requests().get(0).requestId());
    List<String> skusA = a.requests().stream().map(PlannedRequest::sku).toList();
    List<String> skusB = b.requests().stream().map(PlannedRequest::sku).toList();
    assertNotEquals(skusA, skusB);
  }

  @Test
  void fingerprint_jsonAndYamlOfSameWorkload_equal() throws Exception {
    WorkloadProfile json = testProfile();
    WorkloadProfile yaml = Profiles.load(Path.of("src/test/resources/race-small.yaml").toString());
    assertEquals(Profiles.fingerprint(json), Profiles.fingerprint(yaml));
    assertEquals(Schedule.of(json).digest(), Schedule.of(yaml).digest());
  }

  @Test
  void fingerprint_anyFieldChange_changes() throws Exception {
    WorkloadProfile p = testProfile();
    assertNotEquals(Profiles.fingerprint(p), Profiles.fingerprint(p.withRateAndDuration(401.0, null)));
    assertNotEquals(Profiles.fingerprint(p), Profiles.fingerprint(p.withRateAndDuration(null, 3.0)));
  }

  @Test
  void uniformArrivals_fixedRate_exactCountAndSpacing() throws Exception {
    WorkloadProfile p = Profiles.load("seed-peak").normalized(); // 900/s for 60 s
    Schedule s = Schedule.of(p);
    assertEquals(54_000, s.requests().size());
    for (PlannedRequest r : s.requests()) {
      assertTrue(Math.abs(r.offsetNanos() - Math.round(r.index() * 1e9 / 900)) <= 2, r.toString());
    }
    assertEquals(s.requests().size(), s.requests().stream().map(PlannedRequest::requestId).distinct().count());
  }

  @Test
  void bursts_multiplyRateInsideTheirWindow() throws Exception {
    WorkloadProfile p = new WorkloadProfile("b", null, 5L, 100.0, 20.0, "uniform", Map.of("s", 10L), null, null,
        null, null, new WorkloadProfile.Bursts(10, 2, 3.0), null, null, null, null);
    Schedule s = Schedule.of(p);
    int[] perSecond = new int[20];
    for (PlannedRequest r : s.requests()) {
      perSecond[(int) (r.offsetNanos() / 1_000_000_000L)]++;
    }
    for (int sec = 0; sec < 20; sec++) {
      int expected = (sec % 10 >= 8) ? 300 : 100; // the last 2 s of every 10 s at 3x
      assertTrue(Math.abs(perSecond[sec] - expected) <= 1, "second " + sec + ": " + perSecond[sec]);
    }
  }

  @Test
  void zipfKeys_rankOrderedPopularity() throws Exception {
    WorkloadProfile p = new WorkloadProfile("z", null, 11L, 1000.0, 20.0, null, null, 10, 5L,
        new WorkloadProfile.Keys("zipf", 1.0, null, null), null, null, null, null, null, null);
    Map<String, Integer> counts = new HashMap<>();
    Schedule s = Schedule.of(p);
    s.requests().forEach(r -> counts.merge(r.sku(), 1, Integer::sum));
    // Zipf(1) over 10 ranks: P(rank 1) = 1 / H(10) = 0.3414; 20,000 draws give +-0.01 easily.
    double top = counts.get("sku-1") / (double) s.requests().size();
    assertTrue(Math.abs(top - 0.3414) < 0.02, "top share " + top);
    assertTrue(counts.get("sku-1") > counts.get("sku-2"));
    assertTrue(counts.get("sku-2") > counts.get("sku-5"));
    assertTrue(counts.get("sku-5") > counts.get("sku-10"));
  }

  @Test
  void hotKeys_andDuplicates_matchTheirShares() throws Exception {
    Schedule s = Schedule.of(testProfile()); // 1000 requests, 80% on "hot", 5% duplicated
    long hot = s.requests().stream().filter(r -> r.sku().equals("hot")).count();
    long dups = s.requests().stream().filter(PlannedRequest::duplicate).count();
    assertEquals(1_000, s.requests().size());
    assertTrue(hot > 740 && hot < 860, "hot " + hot);
    assertTrue(dups > 25 && dups < 80, "dups " + dups);
    assertEquals(1_000 + dups, s.sends());
  }

  @Test
  void bundledProfiles_loadAndValidate() throws Exception {
    assertEquals("seed-peak", Profiles.load("seed-peak").normalized().name());
    WorkloadProfile hot = Profiles.load("hot-sku").normalized();
    assertEquals(List.of(10.0), hot.restartWorkersAtSeconds());
    assertEquals("poisson", hot.arrival());
  }

  @Test
  void normalized_badValues_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new WorkloadProfile(null, null, null, -1.0, null, null,
        null, null, null, null, null, null, null, null, null, null).normalized());
    assertThrows(IllegalArgumentException.class, () -> new WorkloadProfile(null, null, null, null, null, null,
        null, null, null, new WorkloadProfile.Keys("pareto", null, null, null), null, null, null, null, null, null)
        .normalized());
    assertThrows(IllegalArgumentException.class, () -> new WorkloadProfile(null, null, null, null, null, null,
        null, null, null, null, null, null, 1.5, null, null, null).normalized());
    assertThrows(Exception.class, () -> Profiles.read(
        new java.io.ByteArrayInputStream("{\"rate\": 5}".getBytes()), false)); // unknown field
  }
}
