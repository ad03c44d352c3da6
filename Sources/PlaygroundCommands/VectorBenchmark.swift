import ArgumentParser
import Foundation
import PlaygroundEnvironments
import PlaygroundRandom

/// `playground bench vector`: vector CartPole's environment steps per second with random
/// actions, one thread, at several copy counts — the figure `benchmarks/vector.sh` compares with
/// Gymnasium's own vector CartPole.
struct VectorBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "vector",
    abstract: "Time vector CartPole steps (random actions) at several numbers of copies.",
    discussion: """
      Examples:
        playground bench vector
        playground bench vector --copies 1,64,1024 --seconds 3
      """)

  @Option(help: "Numbers of copies, comma-separated.")
  var copies = "1,64,1024"

  @Option(help: "Seconds to step each vector.")
  var seconds = 3.0

  func validate() throws {
    guard let counts = counts, counts.allSatisfy({ (1...1_000_000).contains($0) }) else {
      throw ValidationError(
        "--copies takes numbers from 1 to 1000000 separated by commas, got '\(copies)'")
    }
    guard seconds > 0, seconds <= 3600 else {
      throw ValidationError("--seconds must be from 0 to 3600, got \(seconds)")
    }
  }

  private var counts: [Int]? {
    let parts = copies.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    return parts.isEmpty || parts.contains(nil) ? nil : parts.map { $0! }
  }

  func run() throws {
    print("environment\tcopies\tsteps\tseconds\tenv_steps_per_second")
    for count in counts ?? [] {
      let (steps, elapsed) = try measure(count)
      let rate = Double(steps * count) / elapsed
      print("CartPole-v1\t\(count)\t\(steps)\t\(String(format: "%.3f", elapsed))\t\(Int(rate))")
    }
  }

  /// Vector steps with random actions (64 copies' actions from each 64 random bits) until
  /// `seconds` pass, checking the clock every 100 steps.
  private func measure(_ count: Int) throws -> (steps: Int, seconds: Double) {
    let envs = try VectorCartPole(count: count)
    let random = RandomGenerator(seed: 0)
    envs.reset(seed: 0)
    var actions = [Int](repeating: 0, count: count)
    var steps = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
      for _ in 0..<100 {
        actions.withUnsafeMutableBufferPointer { actions in
          var bits: UInt64 = 0
          for i in 0..<count {
            if i % 64 == 0 { bits = random.next() }
            actions[i] = Int(bits & 1)
            bits >>= 1
          }
        }
        envs.step(actions)
      }
      steps += 100
    }
    return (steps, Date().timeIntervalSince(start))
  }
}
