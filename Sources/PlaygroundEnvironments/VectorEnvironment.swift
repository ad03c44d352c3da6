import PlaygroundKernels

/// Many copies of one environment stepped together, as Gymnasium 1.x's `VectorEnv`.
///
/// `reset(seed:)` starts every copy (copy `i` seeded `seed + i`, as `SyncVectorEnv` does);
/// `step(_:)` takes one action per copy and fills ``observations``, ``rewards``,
/// ``terminated`` and ``truncated`` with one entry per copy (``observationWidth`` observation
/// values each). A copy whose episode ended is reset by the *next* step, which ignores its
/// action and reports its first observation with reward 0 and neither flag — Gymnasium's
/// default `AutoresetMode.NEXT_STEP`. Copy `i` therefore follows exactly the trajectory of one
/// environment seeded `seed + i` that is reset whenever an episode ends.
public protocol VectorEnvironment: AnyObject {
  associatedtype Value
  /// The copies (Gymnasium's `num_envs`).
  var environmentCount: Int { get }
  /// Actions of each copy are `0..<actionCount`.
  var actionCount: Int { get }
  /// One copy's observations.
  var observationSpace: ObservationSpace { get }
  /// Values per copy in ``observations``.
  var observationWidth: Int { get }
  /// The latest observation of every copy, `observationWidth` values each, copy after copy.
  var observations: [Value] { get }
  /// The latest step's reward of every copy.
  var rewards: [Double] { get }
  /// Whether each copy's latest step reached a terminal state.
  var terminated: [Bool] { get }
  /// Whether each copy's latest step was cut by the time limit.
  var truncated: [Bool] { get }
  /// When a copy whose episode ended is reset: Gymnasium's `AutoresetMode`.
  var autoreset: AutoresetMode { get set }
  /// In ``AutoresetMode/sameStep``, each copy's observation before the latest step's reset (the
  /// last of its episode, Gymnasium's `info["final_obs"]`); otherwise ``observations``.
  var finalObservations: [Value] { get }
  /// Starts every copy; with a seed, reseeds copy `i` with `seed + i` first.
  func reset(seed: UInt64?)
  /// Starts every copy, copy `i` reseeded with `seeds[i]`.
  func reset(seeds: [UInt64])
  /// Applies `actions[i]` to copy `i` (ignored for a copy being reset).
  func step(_ actions: [Int])
}

/// When a vector environment resets a copy whose episode ended (Gymnasium 1.x's
/// `AutoresetMode`).
public enum AutoresetMode: String, Sendable, CaseIterable {
  /// The next step resets it, ignoring its action: reward 0, neither flag (Gymnasium's default).
  case nextStep = "next_step"
  /// The step that ends the episode resets it at once: its observation is the new episode's
  /// first, the last one is in `finalObservations`.
  case sameStep = "same_step"
}

/// The per-copy bookkeeping of a vector environment: step counts, time limit and autoreset
/// (the single environment's ``TimeLimit``: a step that terminates on the limit is terminated,
/// not truncated).
final class EpisodeClock {
  let stepLimit: Int
  let elapsed: LaneBuffer<Int64>
  /// Copies whose episode ended on the latest step: the next step resets them.
  let resetting: LaneBuffer<UInt8>
  let rewards: LaneBuffer<Double>
  let terminated: LaneBuffer<UInt8>
  let truncated: LaneBuffer<UInt8>

  init(count: Int, stepLimit: Int) {
    self.stepLimit = stepLimit
    elapsed = LaneBuffer(repeating: 0, count: count)
    resetting = LaneBuffer(repeating: 0, count: count)
    rewards = LaneBuffer(repeating: 0, count: count)
    terminated = LaneBuffer(repeating: 0, count: count)
    truncated = LaneBuffer(repeating: 0, count: count)
  }

  var terminatedFlags: [Bool] { terminated.array.map { $0 != 0 } }
  var truncatedFlags: [Bool] { truncated.array.map { $0 != 0 } }

  /// Copy `i` starts a new episode now (same-step autoreset): no reset pending, no steps.
  func restarted(_ i: Int) {
    resetting[i] = 0
    elapsed[i] = 0
  }

  /// Every copy just reset.
  func restart() {
    for i in 0..<elapsed.count {
      (elapsed[i], resetting[i], rewards[i]) = (0, 0, 0)
      (terminated[i], truncated[i]) = (0, 0)
    }
  }

  /// Records every copy's step: each copy that was resetting gets reward 0, step count 0 and
  /// neither flag; copy `i` otherwise `rewards[i]`, one more step, and `terminated` from
  /// `ended[i]`.
  func recordAll(rewards stepRewards: UnsafePointer<Double>, ended: UnsafePointer<UInt8>) {
    playground_episode_clock(
      elapsed.pointer, resetting.pointer, rewards.pointer, terminated.pointer, truncated.pointer,
      ended, stepRewards, Int64(stepLimit), elapsed.count)
  }
}
