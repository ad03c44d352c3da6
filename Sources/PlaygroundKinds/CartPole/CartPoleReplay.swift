import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundNN
import PlaygroundRandom

/// `playground rl cartpole --watch MODEL`: one greedy episode of a saved Q-network, one text
/// frame per step (animated in a terminal, every 25th step otherwise).
public enum CartPoleReplay {
  /// Plays the Q-network at `url` on the cart-pole with `physics` from `seed`.
  /// - Throws: ``RunError`` when the file is not a cart-pole Q-network.
  public static func play(
    _ url: URL, physics: CartPoleSettings, seed: UInt64,
    print say: (String, _ sameLine: Bool) -> Void = Self.write
  ) throws {
    let env = try CartPole(physics)
    guard case .box(let low, _) = env.observationSpace else {
      throw RunError("cart-pole observations must be vectors")
    }
    let network = try qNetwork(url, inputs: low.count, outputs: env.actionCount)
    let interactive = isatty(STDOUT_FILENO) != 0
    var observation = env.reset(seed: seed)
    var total = 0.0
    for step in 1...physics.stepLimit {
      let action = withoutGradient {
        network(Tensor(shape: [1, low.count], scalars: observation)).argmaxLastAxis()[0]
      }
      let result = env.step(action)
      total += result.reward
      observation = result.observation
      let line = frame(env.state, physics: physics, step: step, action: action)
      if interactive {
        say(line, true)
        usleep(20_000)
      } else if step % 25 == 0 || result.terminated {
        say(line, false)
      }
      if result.terminated { break }
    }
    if interactive { say("", false) }
    say(
      "episode return \(Int(total))\(total >= Double(physics.stepLimit) ? " (the time limit)" : "")",
      false)
  }

  /// Standard output; a line that replaces the last one when `sameLine`.
  public static func write(_ line: String, sameLine: Bool) {
    if sameLine {
      print("\r" + line, terminator: "")
      fflush(nil)
    } else {
      print(line)
    }
  }

  /// The network saved at `url`, its layer sizes read from its weights' shapes.
  static func qNetwork(_ url: URL, inputs: Int, outputs: Int) throws -> Sequential {
    let contents = try SafeTensors.read(from: url)
    var sizes: [Int] = []
    var index = 0
    while let weight = contents["layers.\(index).weight"] {
      guard weight.rank == 2 else {
        throw RunError("\(url.path): layers.\(index).weight is not a matrix")
      }
      if sizes.isEmpty { sizes.append(weight.shape[1]) }
      guard weight.shape[1] == sizes.last! else {
        throw RunError(
          "\(url.path): layers.\(index).weight has shape \(weight.shape), the previous layer has \(sizes.last!) outputs"
        )
      }
      sizes.append(weight.shape[0])
      index += 1
    }
    guard sizes.count >= 2, sizes.first == inputs, sizes.last == outputs else {
      throw RunError(
        "\(url.path) is not a cart-pole Q-network: it maps \(sizes.first ?? 0) inputs to \(sizes.last ?? 0) outputs, the cart-pole needs \(inputs) → \(outputs)"
      )
    }
    let network = DQNAgent.network(
      inputs, Array(sizes.dropFirst().dropLast()), outputs, RandomGenerator(seed: 0))
    try network.load(from: url)
    return network
  }

  /// `step 123 ◀ |.........(\).........| x +0.12 m  θ  -1.3°`: the cart on the track, its pole.
  public static func frame(_ state: [Double], physics: CartPoleSettings, step: Int, action: Int)
    -> String
  {
    let width = 41
    let position = Int(
      ((state[0] + physics.xThreshold) / (2 * physics.xThreshold) * Double(width - 1)).rounded())
    let degrees = state[2] * 180 / Double.pi
    let pole = degrees > 4 ? "/" : degrees < -4 ? "\\" : "|"
    var track = Array(repeating: ".", count: width)
    track[min(max(position, 0), width - 1)] = pole
    let number = String(repeating: " ", count: max(0, 3 - String(step).count)) + String(step)
    return
      "step \(number) \(action == 1 ? "▶" : "◀") |\(track.joined())| x \(String(format: "%+.2f", state[0])) m  θ \(String(format: "%+5.1f", degrees))°"
  }
}
