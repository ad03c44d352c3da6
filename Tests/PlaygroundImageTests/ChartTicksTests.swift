import TestSupport
import Testing

@testable import PlaygroundImage

/// A chart's ticks for any span a setting may produce: round values normally, and the ends
/// (never an endless loop or a trap) where the span has no round steps.
@Suite(.onOneBackend) struct ChartTicksTests {
  @Test func roundStepsCoverAnOrdinarySpan() {
    #expect(LineChart.ticks(0, 10) == [0, 2, 4, 6, 8, 10])
  }

  @Test(arguments: [
    (-1e300, 1e300), (-.greatestFiniteMagnitude, .greatestFiniteMagnitude), (1, 1 + 1e-15),
    (1e20, 1e20 + 1e5), (3, 3), (5, -5), (.nan, 1), (0, .infinity),
  ])
  func extremeSpansEndAtOnce(_ low: Double, _ high: Double) {
    let ticks = LineChart.ticks(low, high)
    #expect(ticks.count <= 22)
    #expect(ticks.allSatisfy { $0.isFinite })
  }
}
