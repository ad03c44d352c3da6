import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import PlaygroundRandom
import TestSupport
import Testing

/// Tabular agents of many seeds in one process: each seed's episodes and table the same as
/// ``TabularTrainer``'s for that seed alone, whichever seeds share its batch.
@Suite(.onOneBackend) struct TabularSeedBatchTests {
  /// Seed `seed` trained alone, as `rl gridworld` trains it: its episodes and table.
  static func alone(
    _ settings: GridWorldSettings, _ config: TabularAgentConfig, seed: UInt64
  ) throws -> (records: [EpisodeRecord], q: [[Double]]) {
    let env = try GridWorld.make(settings)
    let generator = RandomGenerator(seed: seed)
    let agent = TabularAgent(
      stateCount: env.wrapped.stateCount, actionCount: 4, config: config,
      generator: generator.derived(stream: 2))
    let records = try TabularTrainer.train(env, agent: agent, generator: generator)
    return (records, agent.q)
  }

  /// The seeds trained in one batch.
  static func batch(
    _ settings: GridWorldSettings, _ config: TabularAgentConfig, seeds: [UInt64]
  ) throws -> [(records: [EpisodeRecord], q: [[Double]])] {
    let vector = try VectorGridWorld(count: seeds.count, settings: settings)
    let generators = seeds.map { RandomGenerator(seed: $0) }
    let agents = generators.map {
      TabularAgent(
        stateCount: vector.world.stateCount, actionCount: 4, config: config,
        generator: $0.derived(stream: 2))
    }
    var seen = [Int](repeating: 0, count: seeds.count)
    let records = TabularSeedBatchTrainer.train(
      vector, agents: agents, environmentSeeds: generators.map { $0.derived(stream: 1).seed },
      onEpisode: { i, episode, _ in
        #expect(episode == seen[i])
        seen[i] += 1
      })
    return zip(records, agents).map { ($0, $1.q) }
  }

  /// Slippery FrozenLake (random transitions, the 100-step limit) and CliffWalking, each
  /// algorithm: every seed of a batch of five equals it alone, and a batch of one.
  @Test(arguments: [TabularAlgorithm.qLearning, .sarsa, .expectedSarsa])
  func everySeedOfABatchEqualsItsRunAlone(_ algorithm: TabularAlgorithm) throws {
    var config = TabularAgentConfig()
    config.algorithm = algorithm
    config.episodes = 400
    for settings in [GridWorldCatalog.frozenLake4x4, GridWorldCatalog.cliffWalking] {
      let seeds: [UInt64] = [0, 7, 3, 11, 2]
      let together = try Self.batch(settings, config, seeds: seeds)
      for (k, seed) in seeds.enumerated() {
        let single = try Self.alone(settings, config, seed: seed)
        #expect(together[k].records == single.records, "\(settings.name) seed \(seed)")
        #expect(together[k].q == single.q, "\(settings.name) seed \(seed)")
      }
      let one = try Self.batch(settings, config, seeds: [3])
      #expect(one[0].records == together[2].records && one[0].q == together[2].q)
    }
  }

  /// Seeds with different episode counts are not possible in one batch, but seeds that finish
  /// their episodes at different steps are: the batch ends when the last does.
  @Test func episodesOfDifferentLengthsEndTogether() throws {
    var config = TabularAgentConfig()
    config.episodes = 50
    let together = try Self.batch(GridWorldCatalog.cliffWalking, config, seeds: [1, 2, 3])
    #expect(together.allSatisfy { $0.records.count == 50 })
    #expect(Set(together.map { $0.records.reduce(0) { $0 + $1.length } }).count > 1)
  }
}
