import Foundation

/// A small line chart as inline SVG (axes, ticks, labels), for `report.html`.
public struct SVGChart {
  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [(name: String, x: [Double], y: [Double])]
  public var width = 460.0
  public var height = 260.0

  public init(
    title: String, xLabel: String, yLabel: String,
    series: [(name: String, x: [Double], y: [Double])]
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]

  /// The `<svg>` element.
  public func render() -> String {
    let points = series.flatMap { zip($0.x, $0.y).filter { $0.0.isFinite && $0.1.isFinite } }
    let (left, right, top, bottom) = (58.0, width - 12, 26.0, height - 40)
    var svg =
      "<svg width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(Self.escape(title))\">"
    svg +=
      "<text x=\"\(Int(width / 2))\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(title))</text>"
    guard !points.isEmpty else {
      return svg
        + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" font-size=\"12\">no data</text></svg>"
    }
    var (x0, x1) = (points.map(\.0).min()!, points.map(\.0).max()!)
    var (y0, y1) = (points.map(\.1).min()!, points.map(\.1).max()!)
    if x1 == x0 { (x0, x1) = (x0 - 1, x1 + 1) }
    if y1 == y0 { (y0, y1) = (y0 - 1, y1 + 1) }
    func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (right - left) }
    func py(_ y: Double) -> Double { bottom - (y - y0) / (y1 - y0) * (bottom - top) }
    svg +=
      "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(right - left)\" height=\"\(bottom - top)\" fill=\"none\" stroke=\"#888\"/>"
    for k in 0...4 {
      let fraction = Double(k) / 4
      let (xv, yv) = (x0 + fraction * (x1 - x0), y0 + fraction * (y1 - y0))
      svg +=
        "<text x=\"\(Self.number(px(xv)))\" y=\"\(Self.number(bottom + 14))\" text-anchor=\"middle\" font-size=\"10\">\(Self.tick(xv))</text>"
      svg +=
        "<text x=\"\(Self.number(left - 4))\" y=\"\(Self.number(py(yv) + 3))\" text-anchor=\"end\" font-size=\"10\">\(Self.tick(yv))</text>"
      svg +=
        "<line x1=\"\(left)\" x2=\"\(right)\" y1=\"\(Self.number(py(yv)))\" y2=\"\(Self.number(py(yv)))\" stroke=\"#eee\"/>"
    }
    svg +=
      "<text x=\"\(Int((left + right) / 2))\" y=\"\(Int(height - 6))\" text-anchor=\"middle\" font-size=\"11\">\(Self.escape(xLabel))</text>"
    svg +=
      "<text transform=\"translate(12 \(Int((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\">\(Self.escape(yLabel))</text>"
    for (index, line) in series.enumerated() {
      let color = Self.palette[index % Self.palette.count]
      let finite = zip(line.x, line.y).filter { $0.0.isFinite && $0.1.isFinite }
      let path = Self.envelope(finite.map { (px($0.0), py($0.1)) }, columns: right - left).map {
        "\(Self.number($0.x)),\(Self.number($0.y))"
      }
      if path.count == 1 {
        let xy = path[0].split(separator: ",")
        svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(color)\"/>"
      } else {
        svg +=
          "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path.joined(separator: " "))\"/>"
      }
      if series.count > 1 {
        svg +=
          "<text x=\"\(Int(left + 8))\" y=\"\(Int(top + 14 + 13 * Double(index)))\" font-size=\"11\" fill=\"\(color)\">\(Self.escape(line.name))</text>"
      }
    }
    return svg + "</svg>"
  }

  static func number(_ value: Double) -> String { String(format: "%.1f", value) }

  /// The points of a long line (more than 4 per pixel column of the plot) cut to what can be
  /// seen: in each column of a pixel, the first, lowest, highest and last point, in order — the
  /// same drawing, for curves of 100,000 episodes written in milliseconds.
  static func envelope(_ points: [(x: Double, y: Double)], columns: Double) -> [(
    x: Double, y: Double
  )] {
    guard points.count > 4 * Int(columns) else { return points }
    var kept: [(x: Double, y: Double)] = []
    var start = 0
    while start < points.count {
      let column = points[start].x.rounded(.down)
      var end = start + 1
      while end < points.count && points[end].x.rounded(.down) == column { end += 1 }
      let bucket = start..<end
      let low = bucket.min { points[$0].y < points[$1].y }!
      let high = bucket.max { points[$0].y < points[$1].y }!
      for index in Set([start, low, high, end - 1]).sorted() { kept.append(points[index]) }
      start = end
    }
    return kept
  }

  static func tick(_ value: Double) -> String {
    abs(value) >= 1e4 || (abs(value) < 1e-2 && value != 0)
      ? String(format: "%.2g", value) : String(format: "%.3g", value)
  }

  /// Text safe inside HTML and SVG.
  public static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
