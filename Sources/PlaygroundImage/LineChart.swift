import Foundation

/// A line chart with axes, tick labels, axis titles and a legend, drawn into an ``Image``: the
/// learning curves of the playground's runs.
public struct LineChart {
  public struct Series {
    public let name: String
    public let color: [UInt8]
    /// `(x, y)` points in drawing order; NaN values are skipped.
    public let points: [(x: Double, y: Double)]
    /// A shaded spread around the line (e.g. mean ± standard deviation over seeds), drawn in a
    /// light tint of `color`; empty for none.
    public var band: [(x: Double, low: Double, high: Double)]
    /// Points drawn as marks without a line between them (a scatter plot); `nil`: a line.
    public var marker: Marker?

    public init(
      name: String, color: [UInt8], points: [(x: Double, y: Double)],
      band: [(x: Double, low: Double, high: Double)] = [], marker: Marker? = nil
    ) {
      self.name = name
      self.color = color
      self.points = points
      self.band = band
      self.marker = marker
    }
  }

  /// How a scatter series marks its points.
  public enum Marker: Sendable {
    /// A filled square, 5 pixels wide.
    case dot
    /// A diagonal cross, 7 pixels wide.
    case cross
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series]
  public var width = 640
  public var height = 400
  /// Fixed y bounds (e.g. 0…1 for a success rate); `nil` fits the data.
  public var yRange: ClosedRange<Double>?
  /// Fixed x bounds (e.g. a searched setting's range); `nil` fits the data.
  public var xRange: ClosedRange<Double>?

  public init(title: String, xLabel: String, yLabel: String, series: [Series]) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.series = series
  }

  /// Colours that stay apart on white: blue, orange, green, red, purple.
  public static let palette: [[UInt8]] = [
    [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  ]

  public func render() -> Image {
    var image = Image(width: width, height: height, fill: [255, 255, 255])
    let (scale, xTicks, yTicks) = self.scale()
    drawGrid(&image, scale, xTicks: xTicks, yTicks: yTicks)
    drawBands(&image, scale)
    drawLines(&image, scale)
    drawLabels(&image, scale)
    return image
  }

  /// Where values land on the picture.
  struct Scale {
    let left: Int, right: Int, top: Int, bottom: Int
    let xMin: Double, xMax: Double, yMin: Double, yMax: Double

    func px(_ x: Double) -> Int {
      left + Int(((x - xMin) / (xMax - xMin) * Double(right - left)).rounded())
    }
    func py(_ y: Double) -> Int {
      bottom - Int(((y - yMin) / (yMax - yMin) * Double(bottom - top)).rounded())
    }
  }

  /// The plot area and value ranges (widened to whole ticks unless ``yRange`` is fixed).
  func scale() -> (Scale, xTicks: [Double], yTicks: [Double]) {
    let points =
      (series.flatMap(\.points)
      + series.flatMap { $0.band.flatMap { [($0.x, $0.low), ($0.x, $0.high)] } })
      .filter { $0.x.isFinite && $0.y.isFinite }
    let xs = points.map(\.x)
    let ys = points.map(\.y)
    var xMin = xRange?.lowerBound ?? xs.min() ?? 0
    var xMax = xRange?.upperBound ?? xs.max() ?? 1
    var yMin = yRange?.lowerBound ?? ys.min() ?? 0
    var yMax = yRange?.upperBound ?? ys.max() ?? 1
    if xMax <= xMin { xMax = xMin + 1 }
    if yMax <= yMin {
      yMin -= 0.5
      yMax += 0.5
    }
    let xTicks = LineChart.ticks(xMin, xMax)
    let yTicks = LineChart.ticks(yMin, yMax)
    if yRange == nil {
      yMin = min(yMin, yTicks.first ?? yMin)
      yMax = max(yMax, yTicks.last ?? yMax)
    }
    if xRange == nil { xMin = min(xMin, xTicks.first ?? xMin) }
    let scale = Scale(
      left: 70, right: width - 20, top: 30, bottom: height - 50, xMin: xMin, xMax: xMax,
      yMin: yMin, yMax: yMax)
    return (scale, xTicks, yTicks)
  }

  /// Grid lines, tick labels and axes.
  func drawGrid(_ image: inout Image, _ s: Scale, xTicks: [Double], yTicks: [Double]) {
    let black: [UInt8] = [0, 0, 0]
    let gray: [UInt8] = [225, 225, 225]
    for tick in yTicks where tick >= s.yMin && tick <= s.yMax {
      image.line(from: (s.left, s.py(tick)), to: (s.right, s.py(tick)), color: gray)
      let label = LineChart.format(tick)
      image.drawText(
        label, atX: s.left - 6 - BitmapFont.width(of: label), y: s.py(tick) - 3, color: black)
    }
    for tick in xTicks where tick >= s.xMin && tick <= s.xMax {
      image.line(from: (s.px(tick), s.top), to: (s.px(tick), s.bottom), color: gray)
      let label = LineChart.format(tick)
      image.drawText(
        label, atX: s.px(tick) - BitmapFont.width(of: label) / 2, y: s.bottom + 6, color: black)
    }
    image.line(from: (s.left, s.top), to: (s.left, s.bottom), color: black)
    image.line(from: (s.left, s.bottom), to: (s.right, s.bottom), color: black)
  }

  /// Each series' spread, tinted, under every line.
  func drawBands(_ image: inout Image, _ s: Scale) {
    for series in series {
      let tint = series.color.map { UInt8((Int($0) + 3 * 255) / 4) }
      let band = series.band.filter { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite }
      for (a, b) in zip(band, band.dropFirst()) {
        let (xa, xb) = (s.px(a.x), s.px(b.x))
        for x in xa...max(xa, xb) {
          let t = xb == xa ? 0 : Double(x - xa) / Double(xb - xa)
          let low = min(max(a.low + t * (b.low - a.low), s.yMin), s.yMax)
          let high = min(max(a.high + t * (b.high - a.high), s.yMin), s.yMax)
          image.line(from: (x, s.py(high)), to: (x, s.py(low)), color: tint)
        }
      }
    }
  }

  /// The lines, broken where a value is not finite.
  func drawLines(_ image: inout Image, _ s: Scale) {
    for series in series {
      if let marker = series.marker {
        drawMarks(&image, s, series, marker)
        continue
      }
      var previous: (Int, Int)?
      for point in series.points {
        guard point.x.isFinite, point.y.isFinite else {
          previous = nil
          continue
        }
        let current = (s.px(point.x), s.py(min(max(point.y, s.yMin), s.yMax)))
        if let previous {
          image.line(from: previous, to: current, color: series.color, thickness: 2)
        }
        previous = current
      }
    }
  }

  func drawMarks(_ image: inout Image, _ s: Scale, _ series: Series, _ marker: Marker) {
    for point in series.points where point.x.isFinite && point.y.isFinite {
      let at = (s.px(min(max(point.x, s.xMin), s.xMax)), s.py(min(max(point.y, s.yMin), s.yMax)))
      drawMark(&image, at: at, marker, color: series.color)
    }
  }

  func drawMark(_ image: inout Image, at point: (Int, Int), _ marker: Marker, color: [UInt8]) {
    let (x, y) = point
    switch marker {
    case .dot:
      for dx in -2...2 { for dy in -2...2 { image.set(x + dx, y + dy, color) } }
    case .cross:
      image.line(from: (x - 3, y - 3), to: (x + 3, y + 3), color: color, thickness: 2)
      image.line(from: (x - 3, y + 3), to: (x + 3, y - 3), color: color, thickness: 2)
    }
  }

  /// The title, axis labels and legend.
  func drawLabels(_ image: inout Image, _ s: Scale) {
    let black: [UInt8] = [0, 0, 0]
    image.drawText(
      title, atX: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 6, color: black, scale: 2)
    image.drawText(
      xLabel, atX: (s.left + s.right - BitmapFont.width(of: xLabel)) / 2, y: height - 18,
      color: black)
    image.drawText(yLabel, atX: 4, y: s.top - 12, color: black)
    var legendY = s.top + 6
    for series in series where !series.name.isEmpty {
      let x = s.right - BitmapFont.width(of: series.name) - 26
      if let marker = series.marker {
        drawMark(&image, at: (x + 8, legendY + 3), marker, color: series.color)
      } else {
        image.line(
          from: (x, legendY + 3), to: (x + 16, legendY + 3), color: series.color, thickness: 2)
      }
      image.drawText(series.name, atX: x + 22, y: legendY, color: black)
      legendY += 12
    }
  }

  /// About five round tick values covering `low…high` (steps of 1, 2 or 5 × 10ⁿ).
  /// Just the ends when the span has no such steps (not finite, or too narrow for its
  /// magnitude's precision, where stepping would never reach `high`).
  static func ticks(_ low: Double, _ high: Double) -> [Double] {
    let raw = (high - low) / 5
    guard raw.isFinite, raw > 0, low.isFinite, high.isFinite else {
      return low.isFinite && high.isFinite ? [low, high] : []
    }
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    let first = (low / step).rounded(.down) * step
    let count = (high - first) / step
    guard count.isFinite, count <= 20, first + step > first else { return [low, high] }
    return stride(from: first, through: high + step * 1e-9, by: step).map {
      ($0 / step).rounded() * step
    }
  }

  /// Short tick labels: 1500 → "1500", 25000 → "25K", 0.25 → "0.25".
  static func format(_ value: Double) -> String {
    if value == 0 { return "0" }
    if abs(value) >= 10_000 { return "\(LineChart.trim(value / 1000))K" }
    return LineChart.trim(value)
  }

  static func trim(_ value: Double) -> String {
    var text = String(format: "%.3f", value)
    while text.contains(".") && (text.hasSuffix("0") || text.hasSuffix(".")) { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}

extension Image {
  /// A straight line (Bresenham), `thickness` pixels wide.
  public mutating func line(
    from start: (Int, Int), to end: (Int, Int), color: [UInt8], thickness: Int = 1
  ) {
    var (x0, y0) = start
    let (x1, y1) = end
    let dx = abs(x1 - x0)
    let dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1
    let sy = y0 < y1 ? 1 : -1
    var error = dx + dy
    while true {
      for t in 0..<thickness {
        set(x0 + (dy == 0 ? 0 : t), y0 + (dy == 0 ? t : 0), color)
      }
      if x0 == x1 && y0 == y1 { break }
      let e2 = 2 * error
      if e2 >= dy {
        error += dy
        x0 += sx
      }
      if e2 <= dx {
        error += dx
        y0 += sy
      }
    }
  }
}
