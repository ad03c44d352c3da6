import Foundation
import TestSupport
import Testing

@testable import PlaygroundRuns

/// `report.html`'s charts: a long curve drawn from what can be seen of it.
@Suite(.onOneBackend) struct SVGChartTests {
  /// 100,000 points in 446 pixel columns: at most four kept per column — the first, lowest,
  /// highest and last, in order — so every column's extent is the same; short curves unchanged.
  @Test func aLongCurveKeepsEachPixelColumnsExtent() {
    let points = (0..<100_000).map { i -> (x: Double, y: Double) in
      let t = Double(i)
      let x: Double = 10 + t * 446 / 100_000
      let y: Double = sin(t * 0.37) + Double(i % 7) / 10
      return (x, y)
    }
    let kept = SVGChart.envelope(points, columns: 446)
    #expect(kept.count <= 4 * 447 && kept.count >= 2 * 446)
    #expect(zip(kept, kept.dropFirst()).allSatisfy { $0.x <= $1.x })
    func extent(_ points: [(x: Double, y: Double)]) -> [Double: ClosedRange<Double>] {
      Dictionary(grouping: points) { $0.x.rounded(.down) }.mapValues { column in
        column.map(\.y).min()!...column.map(\.y).max()!
      }
    }
    #expect(extent(kept) == extent(points))
    let (first, last) = (kept.first!, kept.last!)
    #expect(first.x == points[0].x && first.y == points[0].y)
    #expect(last.x == points[99_999].x && last.y == points[99_999].y)
    let short = Array(points.prefix(100))
    #expect(SVGChart.envelope(short, columns: 446).map(\.x) == short.map(\.x))
  }
}
