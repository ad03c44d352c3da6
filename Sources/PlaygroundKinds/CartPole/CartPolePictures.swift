import Foundation
import PlaygroundEnvironments
import PlaygroundImage

/// Pictures of the cart-pole: single frames and a film strip of an episode.
public enum CartPolePictures {
  /// One frame: the track, the cart at `x`, the pole at angle `θ`, and a caption.
  public static func frame(
    state: [Double], settings: CartPoleSettings, caption: String, width: Int = 160,
    height: Int = 110
  ) -> Image {
    var image = Image(width: width, height: height, fill: [255, 255, 255])
    let scale = Double(width - 20) / (2 * settings.xThreshold)  // pixels per metre
    let trackY = height - 30
    image.line(from: (10, trackY), to: (width - 10, trackY), color: [120, 120, 120])
    // Limits of the track.
    for x in [10, width - 10] {
      image.line(from: (x, trackY - 4), to: (x, trackY + 4), color: [200, 60, 60])
    }
    let cartX = Int((Double(width) / 2 + state[0] * scale).rounded())
    let (cartWidth, cartHeight) = (24, 12)
    image.draw(
      Image(width: cartWidth, height: cartHeight, fill: [40, 40, 40]), atX: cartX - cartWidth / 2,
      y: trackY - cartHeight)
    let poleLength = 2 * settings.halfLength * scale
    let top = (
      cartX + Int((sin(state[2]) * poleLength).rounded()),
      trackY - cartHeight - Int((cos(state[2]) * poleLength).rounded())
    )
    image.line(from: (cartX, trackY - cartHeight), to: top, color: [204, 153, 102], thickness: 3)
    image.drawText(caption, atX: 4, y: height - 14, color: [0, 0, 0])
    return image
  }

  /// Every `every`-th state of an episode (and the last), in rows of `columns` frames.
  public static func filmStrip(
    states: [[Double]], settings: CartPoleSettings, every: Int, columns: Int = 8
  ) -> Image {
    var indices = Array(stride(from: 0, to: states.count, by: max(every, 1)))
    if indices.last != states.count - 1 { indices.append(states.count - 1) }
    let frames = indices.map { frame(state: states[$0], settings: settings, caption: "STEP \($0)") }
    return Image.grid(frames, columns: columns, gutter: 2, background: [200, 200, 200])
  }

  /// A film strip of one episode from `seed` under `policy`, until it ends or the step limit.
  static func episode(
    settings: CartPoleSettings, seed: UInt64, policy: ([Float]) -> Int
  ) throws -> Image {
    let watch = try CartPole(settings)
    _ = watch.reset(seed: seed)
    var states = [watch.state]
    while states.count <= settings.stepLimit {
      let step = watch.step(policy(watch.observation))
      states.append(watch.state)
      if step.terminated { break }
    }
    return filmStrip(states: states, settings: settings, every: max(1, states.count / 24))
  }
}
