import Foundation
import PlaygroundEnvironments
import PlaygroundImage

/// The pictures of a grid-world run.
public enum GridWorldPictures {
  /// Pixels per cell: 48 up to 32 cells across; big maps get smaller cells, so that a picture
  /// stays about 1,536 pixels across (a 200×200 map would otherwise be 9,600 pixels square and
  /// take longer to compress than to train). Letters, arrows and values are drawn where they fit.
  static func cellSize(_ map: GridMap) -> Int {
    let across = max(map.rows, map.columns)
    return across <= 32 ? 48 : max(4, 1536 / across)
  }

  static func color(of cell: GridMap.Cell) -> [UInt8] {
    switch cell {
    case .start: [200, 235, 200]
    case .free: [225, 238, 250]
    case .hole: [40, 60, 110]
    case .goal: [250, 210, 60]
    case .cliff: [170, 70, 50]
    case .wall: [120, 120, 120]
    }
  }

  /// The map with the greedy action drawn as an arrow in every cell the agent can act from.
  public static func policy(_ world: GridWorld, policy: [Int], title: String) -> Image {
    let map = world.map
    let size = cellSize(map)
    var image = Image(
      width: map.columns * size + 2, height: map.rows * size + 26, fill: [255, 255, 255])
    image.drawText(title, atX: 4, y: 6, color: [0, 0, 0])
    for state in map.cells.indices {
      let cell = map.cells[state]
      let (x, y) = (1 + state % map.columns * size, 22 + state / map.columns * size)
      image.draw(Image(width: size - 1, height: size - 1, fill: color(of: cell)), atX: x, y: y)
      let letter: String? =
        switch cell {
        case .start: "S"
        case .goal: "G"
        case .hole: "H"
        case .cliff: "C"
        default: nil
        }
      if let letter, size >= 16 {
        image.drawText(
          letter, atX: x + 3, y: y + 3,
          color: cell == .hole || cell == .cliff ? [255, 255, 255] : [0, 0, 0])
      }
      let absorbing = world.settings.terminalCellsAbsorb && (cell == .hole || cell == .goal)
      guard !absorbing, cell != .wall, cell != .cliff, !(cell == .goal), size >= 12 else {
        continue
      }
      drawArrow(
        &image, center: (x + size / 2, y + size / 2), size: size,
        direction: world.settings.actions[policy[state]])
    }
    return image
  }

  static func drawArrow(
    _ image: inout Image, center: (Int, Int), size: Int, direction: GridDirection
  ) {
    let length = size / 3
    let (dx, dy): (Int, Int) =
      switch direction {
      case .left: (-1, 0)
      case .right: (1, 0)
      case .up: (0, -1)
      case .down: (0, 1)
      }
    let tip = (center.0 + dx * length, center.1 + dy * length)
    let tail = (center.0 - dx * length, center.1 - dy * length)
    let ink: [UInt8] = [20, 20, 20]
    image.line(from: tail, to: tip, color: ink, thickness: 2)
    // The head: two strokes back from the tip, at right angles to each other.
    let back = size / 6
    image.line(
      from: tip, to: (tip.0 - dx * back - dy * back, tip.1 - dy * back - dx * back), color: ink,
      thickness: 2)
    image.line(
      from: tip, to: (tip.0 - dx * back + dy * back, tip.1 - dy * back + dx * back), color: ink,
      thickness: 2)
  }

  /// Heat maps of the learned max-Q and the optimal V*, side by side on one colour scale, each
  /// cell labelled with its value.
  public static func values(_ world: GridWorld, learned: [Double], optimal: [Double]) -> Image {
    let all = (learned + optimal).filter(\.isFinite)
    let low = all.min() ?? 0
    let high = max(all.max() ?? 1, low + 1e-12)
    func panel(_ values: [Double], title: String) -> Image {
      let map = world.map
      let size = cellSize(map)
      var image = Image(
        width: map.columns * size + 2, height: map.rows * size + 26, fill: [255, 255, 255])
      image.drawText(title, atX: 4, y: 6, color: [0, 0, 0])
      for state in values.indices {
        let (x, y) = (1 + state % map.columns * size, 22 + state / map.columns * size)
        let fill: [UInt8] =
          map.cells[state] == .wall
          ? [120, 120, 120] : ColorMap.heat((values[state] - low) / (high - low))
        image.draw(Image(width: size - 1, height: size - 1, fill: fill), atX: x, y: y)
        guard size >= 48 else { continue }
        let text =
          abs(values[state]) >= 10
          ? String(Int(values[state].rounded())) : String(format: "%.2f", values[state])
        image.drawText(
          String(text.prefix(7)), atX: x + 3, y: y + size / 2 - 3,
          color: ColorMap.textColor(on: fill))
      }
      return image
    }
    let left = panel(learned, title: "LEARNED MAX Q")
    let right = panel(optimal, title: "OPTIMAL V* (VALUE ITERATION)")
    var image = Image(width: left.width * 2 + 16, height: left.height, fill: [255, 255, 255])
    image.draw(left, atX: 0, y: 0)
    image.draw(right, atX: left.width + 16, y: 0)
    return image
  }
}
