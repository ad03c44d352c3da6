import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundRuns

extension CartPoleRun: BatchedSeedsRun {
  /// DQN on every seed at once (``DQNSeedBatchTrainer``: the seeds' cart-poles one
  /// ``VectorCartPole``, their networks stacked), then one run folder per seed with what a
  /// single run writes.
  public func runSeeds(_ seeds: [UInt64], in context: RunContext) throws -> [URL] {
    let started = Date()
    let sizes = try networkSizes(forDQNs: seeds.count)
    let batch = DQNSeedBatch(
      seeds: seeds, observationSize: sizes[0], actionCount: sizes.last!, config: agent,
      actingRows: agent.evaluationEpisodes)
    context.progress(
      "CartPole-v1, \(seeds.count) DQNs \(sizes.map(String.init).joined(separator: "→")) at once, up to \(agent.totalSteps) steps"
    )
    let progress = ProgressLine(total: agent.totalSteps, unit: "step", quiet: context.quiet)
    var solved = 0
    let settings = environment
    let outcomes = try DQNSeedBatchTrainer.train(
      { try VectorCartPole(count: $0, settings: settings) }, batch: batch,
      onStep: { step in progress.update(step, metrics: [("solved", Double(solved))]) },
      onEvaluation: { _, evaluation in
        if evaluation.meanReturn >= agent.solvedReturn { solved += 1 }
      })
    let trainSeconds = Date().timeIntervalSince(started)
    progress.note(String(format: "%d seeds trained in %.1f s", seeds.count, trainSeconds))
    return try seeds.indices.map { i in
      try record(
        outcomes[i], seed: seeds[i], network: i, of: batch, sizes: sizes,
        trainSeconds: trainSeconds, started: started, context)
    }
  }

  /// Seed `seed`'s run folder from its outcome.
  private func record(
    _ outcome: DQNSeedBatchTrainer.Outcome, seed: UInt64, network i: Int, of batch: DQNSeedBatch,
    sizes: [Int], trainSeconds: Double, started: Date, _ context: RunContext
  ) throws -> URL {
    var job = self
    job.agent.seed = seed
    let network = DQNAgent.network(
      sizes[0], agent.hiddenSizes, sizes.last!, RandomGenerator(seed: seed))
    batch.online.write(i, into: network)
    let folder = try context.newFolder(for: job)
    do {
      try folder.perform(config: job.configYAML()) { folder in
        if let divergence = outcome.divergence {
          try folder.write(metrics: Self.metrics(outcome.episodes), to: "metrics.csv")
          throw divergence
        }
        try job.write(
          outcome.result, network: network, sizes: sizes, trainSeconds: trainSeconds,
          started: started, in: folder)
      }
    } catch is RunDiverged {
      // Kept with status diverged, as a single run is; the other seeds go on.
    }
    context.say(
      "seed \(seed): "
        + (outcome.solvedAtStep.map { "solved at step \($0)" }
          ?? (outcome.divergence == nil ? "not solved in \(outcome.steps) steps" : "diverged"))
        + " → \(folder.finalURL.path)")
    return folder.finalURL
  }
}
