package io.racetrace.analyzer.differential;

import io.racetrace.analyzer.differential.Shape.Access;
import io.racetrace.analyzer.differential.Shape.Outcome;
import io.racetrace.analyzer.differential.Shape.VersionSource;
import io.racetrace.analyzer.differential.Shape.Versions;
import io.racetrace.analyzer.differential.Shape.Write;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The generator of {@link History}s. Every choice shrinks towards the simplest one (the first enum
 * constant, false, the smallest number, fewer requests, the default interleaving), so a failure
 * shrinks to a small history of a plain shape.
 */
final class Histories {
  private Histories() {}

  static Arbitrary<Boolean> rarely(int percent) {
    return Arbitraries.frequency(Tuple.of(100 - percent, false), Tuple.of(percent, true));
  }

  static Arbitrary<Boolean> either() {
    return Arbitraries.of(false, true);
  }

  static Arbitrary<Shape> shapes() {
    var what = Combinators.combine(Arbitraries.of(Versions.class), either(), Arbitraries.of(Write.class),
        Arbitraries.of(Outcome.class), Arbitraries.of(VersionSource.class), Arbitraries.of(Access.class), rarely(25),
        Arbitraries.frequency(Tuple.of(1, false), Tuple.of(3, true)))
        .as(Shape.Parts::new);
    var how = Combinators.combine(either(), Arbitraries.integers().between(1, 3), either(),
        Arbitraries.integers().between(1, 4), Arbitraries.frequency(Tuple.of(3, 1), Tuple.of(1, 2)),
        Arbitraries.integers().between(1, 3),
        Arbitraries.integers().between(1, 4))
        .as(Shape.Load::new);
    return Combinators.combine(what, how).as(Shape::of);
  }

  static Arbitrary<History.Req> requests(Shape s) {
    return Combinators.combine(rarely(12), Arbitraries.integers().between(0, s.keys() - 1),
        Arbitraries.integers().between(1, s.maxAmount()), Arbitraries.integers().between(0, s.threads() - 1),
        rarely(10), rarely(5), rarely(5))
        .as(History.Req::new);
  }

  static Arbitrary<History> histories() {
    return shapes().flatMap(s -> Combinators.combine(
        Arbitraries.integers().between(0, 12).list().ofSize(s.keys()),
        requests(s).list().ofMinSize(1).ofMaxSize(12),
        Arbitraries.integers().between(0, 7).list().ofMaxSize(150))
        .as((initial, reqs, schedule) -> new History(s, initial, reqs, schedule)));
  }
}
