/// A perceptually uniform colour scale for heat maps: viridis (van der Walt & Smith, matplotlib),
/// dark purple at 0 through blue and green to yellow at 1.
public enum ColorMap {
  /// Viridis sampled at 0, 0.25, 0.5, 0.75 and 1, interpolated linearly in between.
  static let viridis: [(Double, Double, Double)] = [
    (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
  ]

  /// The RGB colour of `value` in `[0, 1]` (clamped; NaN maps to 0).
  public static func heat(_ value: Double) -> [UInt8] {
    let t = value.isNaN ? 0 : min(max(value, 0), 1)
    let position = t * Double(viridis.count - 1)
    let low = min(Int(position), viridis.count - 2)
    let f = position - Double(low)
    let (a, b) = (viridis[low], viridis[low + 1])
    return [a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1), a.2 + f * (b.2 - a.2)].map {
      UInt8($0.rounded())
    }
  }

  /// Black or white, whichever reads better on `background`.
  public static func textColor(on background: [UInt8]) -> [UInt8] {
    let luma =
      background.count >= 3
      ? (Int(background[0]) * 299 + Int(background[1]) * 587 + Int(background[2]) * 114) / 1000
      : Int(background[0])
    return luma > 140 ? [0, 0, 0] : [255, 255, 255]
  }
}
