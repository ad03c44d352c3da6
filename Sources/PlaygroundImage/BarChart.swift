import Foundation

/// A grouped bar chart drawn into an ``Image``: one group of bars per category (a class), one
/// bar per series in each (a run, a setting), with a value axis, category labels and a legend —
/// the per-class accuracies of a classify run, or of several side by side.
public struct BarChart {
  public struct Series {
    public let name: String
    public let color: [UInt8]
    /// One value per category; NaN draws no bar.
    public let values: [Double]

    public init(name: String, color: [UInt8], values: [Double]) {
      self.name = name
      self.color = color
      self.values = values
    }
  }

  public var title: String
  public var valueLabel: String
  public var categories: [String]
  public var series: [Series]
  /// The value axis; 0…1 by default (shares, accuracies).
  public var valueRange: ClosedRange<Double> = 0...1
  public var height = 400

  public init(title: String, valueLabel: String, categories: [String], series: [Series]) {
    self.title = title
    self.valueLabel = valueLabel
    self.categories = categories
    self.series = series
  }

  /// Wide enough for every bar to be at least 4 pixels and every label to fit.
  public var width: Int {
    let labels = categories.map { BitmapFont.width(of: $0) + 8 }.max() ?? 0
    let group = max(labels, max(series.count, 1) * 6 + 8)
    return max(640, 70 + 20 + group * categories.count)
  }

  public func render() -> Image {
    var image = Image(width: width, height: height, fill: [255, 255, 255])
    let (left, right, top, bottom) = (60, width - 20, 34 + 12 * series.count, height - 40)
    let span = valueRange.upperBound - valueRange.lowerBound
    let y = { (value: Double) -> Int in
      bottom
        - Int(
          ((min(max(value, valueRange.lowerBound), valueRange.upperBound)
            - valueRange.lowerBound) / span * Double(bottom - top)).rounded())
    }
    drawAxis(&image, left: left, right: right, top: top, bottom: bottom, y: y)
    let group = Double(right - left) / Double(max(categories.count, 1))
    let bar = max(1, Int((group - 8) / Double(max(series.count, 1))))
    for (c, category) in categories.enumerated() {
      let start = left + Int(Double(c) * group) + 4
      for (s, series) in series.enumerated() where c < series.values.count {
        let value = series.values[c]
        guard value.isFinite else { continue }
        let x = start + s * bar
        for row in y(value)..<bottom {
          image.line(from: (x, row), to: (x + bar - 2, row), color: series.color)
        }
      }
      let label = String(category.prefix(Int(group) / 6))
      image.drawText(
        label, atX: start + (Int(group) - 8 - BitmapFont.width(of: label)) / 2, y: bottom + 6,
        color: [0, 0, 0])
    }
    drawLegend(&image, right: right)
    return image
  }

  private func drawAxis(
    _ image: inout Image, left: Int, right: Int, top: Int, bottom: Int, y: (Double) -> Int
  ) {
    let black: [UInt8] = [0, 0, 0]
    for tick in LineChart.ticks(valueRange.lowerBound, valueRange.upperBound) {
      image.line(from: (left, y(tick)), to: (right, y(tick)), color: [225, 225, 225])
      let label = LineChart.format(tick)
      image.drawText(
        label, atX: left - 6 - BitmapFont.width(of: label), y: y(tick) - 3, color: black)
    }
    image.line(from: (left, top), to: (left, bottom), color: black)
    image.line(from: (left, bottom), to: (right, bottom), color: black)
    image.drawText(
      title, atX: (width - BitmapFont.width(of: title, scale: 2)) / 2, y: 6, color: black,
      scale: 2)
    image.drawText(valueLabel, atX: 4, y: top - 12, color: black)
  }

  private func drawLegend(_ image: inout Image, right: Int) {
    var legendY = 28
    for series in series where !series.name.isEmpty {
      let x = right - BitmapFont.width(of: series.name) - 26
      for row in legendY..<(legendY + 7) {
        image.line(from: (x, row), to: (x + 14, row), color: series.color)
      }
      image.drawText(series.name, atX: x + 20, y: legendY, color: [0, 0, 0])
      legendY += 12
    }
  }
}
