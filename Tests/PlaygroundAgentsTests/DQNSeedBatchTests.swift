import Foundation
import PlaygroundAgents
import PlaygroundConfig
import PlaygroundCore
import PlaygroundEnvironments
import PlaygroundNN
import PlaygroundRandom
import TestSupport
import Testing

/// Many DQN seeds in one process: the stacked networks against the autodiff core, and a seed's
/// results independent of the seeds beside it.
@Suite(.onOneBackend) struct DQNSeedBatchTests {
  /// A DQN that learns within a second: small network, frequent small updates.
  static var tiny: DQNConfig {
    var config = DQNConfig()
    config.totalSteps = 1_500
    config.hiddenSizes = [16, 16]
    config.batchSize = 16
    config.learningStarts = 100
    config.trainFrequency = 16
    config.gradientSteps = 4
    config.evaluationInterval = 500
    config.evaluationEpisodes = 4
    return config
  }

  static func train(_ seeds: [UInt64]) throws -> (DQNSeedBatch, [DQNSeedBatchTrainer.Outcome]) {
    let batch = DQNSeedBatch(
      seeds: seeds, observationSize: 4, actionCount: 2, config: tiny, actingRows: 4)
    let outcomes = try DQNSeedBatchTrainer.train(
      { try VectorCartPole(count: $0) }, batch: batch)
    return (batch, outcomes)
  }

  /// Seed 5 alone, among three seeds and among eight ends with the same episodes, evaluations
  /// and weights, bit for bit.
  @Test func aSeedsResultsDoNotDependOnItsBatch() throws {
    let (alone, single) = try Self.train([5])
    for seeds: [UInt64] in [[3, 5, 8], [0, 1, 2, 3, 4, 5, 6, 7]] {
      let (batch, outcomes) = try Self.train(seeds)
      let k = seeds.firstIndex(of: 5)!
      // As text: a loss before learning starts is NaN, which no NaN equals.
      #expect("\(outcomes[k].episodes)" == "\(single[0].episodes)", "\(seeds)")
      #expect(outcomes[k].evaluations == single[0].evaluations, "\(seeds)")
      let count = batch.online.parameterCount
      #expect(
        Array(UnsafeBufferPointer(start: batch.online.block(k), count: count))
          == Array(UnsafeBufferPointer(start: alone.online.block(0), count: count)))
    }
    #expect(single[0].episodes.count > 20 && single[0].evaluations.count == 3)
    // It learned: the loss is finite and the weights moved from their start.
    #expect(single[0].episodes.last!.meanLoss.isFinite)
  }

  /// Forward and backward passes of a stacked network equal ``Dense``'s through the tape.
  @Test func stackedNetworksMatchTheCore() throws {
    let generator = RandomGenerator(seed: 4)
    let networks = (0..<3).map { _ in DQNAgent.network(5, [7, 6], 3, generator) }
    let stack = StackedMLP(networks)
    let rows = 9
    let workspace = StackedMLP.Workspace(sizes: stack.sizes, rows: rows)
    let gradient = [Float](repeating: 0, count: stack.parameterCount)
    for (i, network) in networks.enumerated() {
      let input = (0..<rows * 5).map { _ in generator.normal() }
      let upstream = (0..<rows * 3).map { _ in generator.normal() }
      let x = Tensor(shape: [rows, 5], scalars: input)
      let y = network(x)
      (y * Tensor(shape: [rows, 3], scalars: upstream)).sum().backward()
      input.withUnsafeBufferPointer { stack.forward(i, $0.baseAddress!, rows: rows, in: workspace) }
      let output = Array(UnsafeBufferPointer(start: workspace.output, count: rows * 3))
      #expect(zip(output, y.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * (1 + abs($1)) })
      var found = gradient
      workspace.outputGradient.update(from: upstream, count: rows * 3)
      found.withUnsafeMutableBufferPointer { g in
        stack.backward(i, rows: rows, in: workspace, into: g.baseAddress!)
      }
      // The core's gradients in the stack's layout: per layer the weight as [in, out], the bias.
      var expected: [Float] = []
      for layer in network.layers.map({ $0 as! Dense }) {
        let (out, inputs) = (layer.weight.shape[0], layer.weight.shape[1])
        let g = layer.weight.gradient!
        expected += (0..<inputs).flatMap { k in (0..<out).map { o in g[o * inputs + k] } }
        expected += layer.bias!.gradient!
      }
      #expect(zip(found, expected).allSatisfy { abs($0 - $1) <= 1e-4 * (1 + abs($1)) })
    }
  }

  /// Each network's Adam steps equal ``Adam``'s on the same gradients.
  @Test func stackedAdamMatchesAdam() throws {
    let generator = RandomGenerator(seed: 9)
    let network = DQNAgent.network(3, [4], 2, generator)
    let stack = StackedMLP([network, DQNAgent.network(3, [4], 2, generator)])
    let optimizer = StackedAdam(for: stack, learningRate: 0.01)
    let adam = Adam(for: network, learningRate: 0.01)
    for _ in 0..<3 {
      let g = (0..<stack.parameterCount).map { _ in generator.normal() }
      // The same gradient in the core's layout.
      var offset = 0
      for layer in network.layers.map({ $0 as! Dense }) {
        let (out, inputs) = (layer.weight.shape[0], layer.weight.shape[1])
        var w = [Float](repeating: 0, count: out * inputs)
        for k in 0..<inputs { for o in 0..<out { w[o * inputs + k] = g[offset + k * out + o] } }
        layer.weight.assignGradient(w)
        layer.bias!.assignGradient(
          Array(g[(offset + out * inputs)..<(offset + out * inputs + out)]))
        offset += out * inputs + out
      }
      adam.step()
      g.withUnsafeBufferPointer { optimizer.step(0, gradient: $0.baseAddress!) }
    }
    let check = DQNAgent.network(3, [4], 2, RandomGenerator(seed: 1))
    stack.write(0, into: check)
    for (a, b) in zip(check.parameters, network.parameters) {
      #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
    }
    #expect(optimizer.steps(0) == 3 && optimizer.steps(1) == 0)
  }
}
