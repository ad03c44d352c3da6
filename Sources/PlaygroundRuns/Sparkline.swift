/// A series as one line of block characters, `▁▂▃▄▅▆▇█`, lowest to highest.
public enum Sparkline {
  static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// `values` resampled to at most `width` characters (the mean of each bucket); non-finite
  /// values are skipped, an empty series is an empty string.
  public static func render(_ values: [Double], width: Int = 40) -> String {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty, width > 0 else { return "" }
    let count = min(width, finite.count)
    let buckets = (0..<count).map { k -> Double in
      let slice = finite[(k * finite.count / count)..<((k + 1) * finite.count / count)]
      return slice.reduce(0, +) / Double(slice.count)
    }
    let (low, high) = (buckets.min()!, buckets.max()!)
    return String(
      buckets.map { value in
        high > low
          ? blocks[min(blocks.count - 1, Int((value - low) / (high - low) * Double(blocks.count)))]
          : blocks[blocks.count / 2]
      })
  }
}
