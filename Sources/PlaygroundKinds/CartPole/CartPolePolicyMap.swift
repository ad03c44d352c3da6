import Foundation
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundNN

/// What a cart-pole Q-network decides across the states that matter most: over a 2-D slice of
/// the state space — the pole's angle θ (to the termination angle either way) against its
/// angular velocity ω (±2 rad/s), the cart centred and still — the greedy action, and the gap
/// Q(right) − Q(left), how sure it is. `playground explain` of a DQN run (`policy.png`).
public struct CartPolePolicyMap {
  /// Cells along each axis.
  public let cells = 101
  /// Angular velocities shown, rad/s either way.
  public let maximumVelocity = 2.0
  public let physics: CartPoleSettings
  let network: Sequential

  /// The Q-network saved in the run at `folder` (`model.safetensors`).
  public init(run folder: URL, physics: CartPoleSettings) throws {
    self.physics = physics
    network = try CartPoleReplay.qNetwork(
      folder.appendingPathComponent("model.safetensors"), inputs: 4, outputs: 2)
  }

  /// θ and ω of cell (`column`, `row`): θ grows to the right, ω upwards.
  public func state(column: Int, row: Int) -> (angle: Double, velocity: Double) {
    let limit = physics.thetaThresholdDegrees * .pi / 180
    let t = Double(column) / Double(cells - 1)
    let u = Double(row) / Double(cells - 1)
    return (-limit + 2 * limit * t, maximumVelocity - 2 * maximumVelocity * u)
  }

  /// Q(right) − Q(left) for every cell, row by row (top row: the largest ω).
  public func gaps() -> [Double] {
    var observations: [Float] = []
    for row in 0..<cells {
      for column in 0..<cells {
        let (angle, velocity) = state(column: column, row: row)
        observations += [0, 0, Float(angle), Float(velocity)]
      }
    }
    let q = withoutGradient { network(Tensor(shape: [cells * cells, 4], scalars: observations)) }
    let values = q.scalars
    return (0..<cells * cells).map { (cell: Int) -> Double in
      Double(values[2 * cell + 1]) - Double(values[2 * cell])
    }
  }

  /// The greedy action (blue: push left, orange: push right) beside the gap (red: right is
  /// better, blue: left, white: even), with axes.
  public func picture() -> Image {
    let gaps = gaps()
    let largest = max(gaps.map(abs).max() ?? 0, 1e-9)
    let scale = 3
    let side = cells * scale
    let (left, top, gutter) = (44, 34, 40)
    var image = Image(
      width: left + 2 * side + gutter + 12, height: top + side + 40, fill: [255, 255, 255])
    for (panel, title) in [
      "GREEDY ACTION: BLUE LEFT, ORANGE RIGHT", "Q(RIGHT) - Q(LEFT): RED RIGHT, BLUE LEFT",
    ].enumerated() {
      let x0 = left + panel * (side + gutter)
      image.drawText(title, atX: x0, y: 6, color: [0, 0, 0])
      for row in 0..<cells {
        for column in 0..<cells {
          let gap = gaps[row * cells + column]
          let color: [UInt8]
          if panel == 0 {
            color = gap > 0 ? LineChart.palette[1] : LineChart.palette[0]
          } else {
            let strength = min(abs(gap) / largest, 1)
            let fade = UInt8(255 * (1 - strength))
            color = gap > 0 ? [255, fade, fade] : [fade, fade, 255]
          }
          for dy in 0..<scale {
            for dx in 0..<scale {
              image.set(x0 + column * scale + dx, top + row * scale + dy, color)
            }
          }
        }
      }
      let limit = String(format: "%.2f", physics.thetaThresholdDegrees * .pi / 180)
      image.drawText("-\(limit)", atX: x0, y: top + side + 4, color: [0, 0, 0])
      image.drawText(
        "+\(limit)", atX: x0 + side - BitmapFont.width(of: "+\(limit)"), y: top + side + 4,
        color: [0, 0, 0])
      image.drawText("ANGLE (RAD)", atX: x0 + side / 2 - 30, y: top + side + 16, color: [0, 0, 0])
    }
    image.drawText(String(format: "+%.0f", maximumVelocity), atX: 4, y: top, color: [0, 0, 0])
    image.drawText(
      String(format: "-%.0f", maximumVelocity), atX: 4, y: top + side - 8, color: [0, 0, 0])
    image.drawText("OMEGA", atX: 4, y: top + side / 2 - 10, color: [0, 0, 0])
    image.drawText("RAD/S", atX: 4, y: top + side / 2, color: [0, 0, 0])
    image.drawText(
      String(format: "LARGEST GAP %.3g", largest), atX: left + side + gutter, y: top + side + 28,
      color: [0, 0, 0])
    return image
  }
}
