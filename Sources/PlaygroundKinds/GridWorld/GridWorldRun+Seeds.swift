import Foundation
import PlaygroundAgents
import PlaygroundEnvironments
import PlaygroundRandom
import PlaygroundRuns

extension GridWorldRun: BatchedSeedsRun {
  /// Every seed's tabular agent at once (``TabularSeedBatchTrainer``: the seeds' grid worlds one
  /// ``VectorGridWorld``), then one run folder per seed with what a single run writes — the
  /// same episodes, table, evaluation and pictures as that seed run alone.
  public func runSeeds(_ seeds: [UInt64], in context: RunContext) throws -> [URL] {
    let started = Date()
    try config.agent.validate()
    let settings = config.environment
    let vector = try NameError.on(.subject) {
      try VectorGridWorld(count: seeds.count, settings: settings)
    }
    let world = vector.world
    let jobs = seeds.map { seed in
      var job = self
      job.config.agent.seed = seed
      return job
    }
    let generators = seeds.map { RandomGenerator(seed: $0) }
    let agents = seeds.indices.map { i in
      TabularAgent(
        stateCount: world.stateCount, actionCount: vector.actionCount,
        config: jobs[i].config.agent, generator: generators[i].derived(stream: 2))
    }
    let episodes = config.agent.episodes
    context.progress(
      "\(settings.name): \(world.map.rows)×\(world.map.columns) grid, \(seeds.count) \(config.agent.algorithm.rawValue) agents at once, \(episodes) episodes each"
    )
    let progress = ProgressLine(
      total: seeds.count * episodes, unit: "episode", quiet: context.quiet)
    var done = 0
    let records = TabularSeedBatchTrainer.train(
      vector, agents: agents, environmentSeeds: generators.map { $0.derived(stream: 1).seed },
      isGoal: { world.map.cells[$0] == .goal }
    ) { _, _, _ in
      done += 1
      if done % 1_000 == 0 { progress.update(done) }
    }
    let trainSeconds = Date().timeIntervalSince(started)
    progress.note(String(format: "%d seeds trained in %.2f s", seeds.count, trainSeconds))
    return try seeds.indices.map { i in
      let env = try GridWorld.make(settings)
      let folder = try context.newFolder(for: jobs[i])
      let outcome = try folder.perform(config: jobs[i].configYAML()) { folder in
        try jobs[i].finish(
          records[i], agent: agents[i], env: env, generator: generators[i],
          trainSeconds: trainSeconds, started: started, in: folder)
      }
      context.say(
        "seed \(seeds[i]): "
          + String(
            format: "greedy success %.3f, mean return %.3f", outcome.evaluation.successRate,
            outcome.evaluation.meanReturn) + " → \(folder.finalURL.path)")
      return folder.finalURL
    }
  }
}
