import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundGenerative
import PlaygroundImage
import PlaygroundNN
import PlaygroundRandom
import PlaygroundRuns

/// The training loop of a text run: shuffled batches of items, Adam with global-norm clipping,
/// until the epoch or time budget; the validation loss after every epoch (and at the end); then
/// the samples.
struct TextTrainer {
  let config: TextConfig
  let data: TextData
  let context: RunContext
  let random: RandomGenerator

  init(config: TextConfig, data: TextData, context: RunContext) {
    (self.config, self.data, self.context) = (config, data, context)
    random = RandomGenerator(seed: config.seed)
  }

  /// What training gave.
  struct Outcome {
    var model: CharacterModel?
    var bigram: BigramModel
    var validLoss: Double
    var epochs = 0
    var steps = 0
    var trainSeconds = 0.0
    /// Per epoch: step, mean training loss, validation loss.
    var history: [(step: Int, train: Double, valid: Double)] = []
    var samples: [String] = []
    var novelShare = 0.0
  }

  mutating func train(into folder: RunFolder) throws -> Outcome {
    var outcome = Outcome(model: nil, bigram: data.bigram, validLoss: data.bigramLoss)
    var metrics = MetricsLog(columns: ["epoch", "step", "train_loss", "valid_loss", "bigram_loss"])
    if config.model == .bigram {
      let trainLoss = data.bigram.loss(data.train)
      metrics.append([0, 0, trainLoss, data.bigramLoss, data.bigramLoss])
      outcome.history = [(0, trainLoss, data.bigramLoss)]
    } else {
      let model = CharacterModel(
        config: config, vocabulary: data.vocabulary, generator: random.derived(stream: 1))
      outcome.model = model
      try epochs(model, outcome: &outcome, metrics: &metrics, folder: folder)
    }
    try folder.write(metrics: metrics, to: "metrics.csv")
    draw(&outcome)
    return outcome
  }

  /// Epochs until the budget; a row of `metrics.csv` for each.
  private func epochs(
    _ model: CharacterModel, outcome: inout Outcome, metrics: inout MetricsLog, folder: RunFolder
  ) throws {
    let optimizer = Adam(parameters: model.parameters, learningRate: Float(config.learningRate))
    let shuffler = random.derived(stream: 2)
    let batches = max(1, data.train.count / config.batchSize)
    let started = Date()
    var outOfTime = false
    while !outOfTime && (config.epochs == 0 || outcome.epochs < config.epochs) {
      let order = shuffler.permutation(data.train.count)
      let progress = ProgressLine(total: batches, quiet: context.quiet)
      var (sum, count) = (0.0, 0)
      for b in 0..<batches {
        let items = order[(b * config.batchSize)..<min((b + 1) * config.batchSize, order.count)]
        let loss = try step(model, optimizer, items.map { data.train[$0] })
        outcome.steps += 1
        (sum, count) = (sum + loss, count + 1)
        progress.update(b + 1, metrics: [("loss", sum / Double(count))])
        if config.minutes > 0 && Date().timeIntervalSince(started) >= config.minutes * 60 {
          outOfTime = true
          break
        }
      }
      outcome.trainSeconds = Date().timeIntervalSince(started)
      outcome.epochs += 1
      let valid = model.validationLoss(data.valid)
      outcome.validLoss = valid
      outcome.history.append((outcome.steps, sum / Double(max(count, 1)), valid))
      progress.finish(metrics: [("loss", sum / Double(max(count, 1))), ("valid", valid)])
      metrics.append([
        Double(outcome.epochs), Double(outcome.steps), sum / Double(max(count, 1)), valid,
        data.bigramLoss,
      ])
      try folder.write(metrics: metrics, to: "metrics.csv")
      // The last finite weights, kept if a later step diverges.
      try outcome.save(to: folder.url(for: "model.safetensors"), config: config.yaml())
      try context.report(budget: Double(outcome.epochs), ["valid_nats_per_char": valid])
    }
  }

  /// One gradient step; returns its loss.
  private func step(_ model: CharacterModel, _ optimizer: Adam, _ items: [[Int]]) throws -> Double {
    optimizer.zeroGradients()
    let (loss, _) = model.loss(items)
    let value = Double(loss.item)
    guard value.isFinite else {
      throw RunError.diverged(
        at: "step \(optimizer.stepCount + 1)", loss: value,
        lower:
          "learning_rate (now \(config.learningRate)) or max_gradient_norm (now \(config.maxGradientNorm))"
      )
    }
    loss.backward()
    if config.maxGradientNorm > 0 {
      clipGradientNorm(model.parameters, maxNorm: Float(config.maxGradientNorm))
    }
    optimizer.step()
    return value
  }

  /// The samples, and the share that are not training items.
  private func draw(_ outcome: inout Outcome) {
    let sampler = random.derived(stream: 3)
    let tokens: [[Int]] =
      outcome.model?.sample(count: config.samples, temperature: config.temperature, random: sampler)
      ?? (0..<config.samples).map { _ in
        data.bigram.sample(random: sampler, temperature: config.temperature)
      }
    outcome.samples = tokens.map(data.vocabulary.decode)
    let known = Set(data.trainText)
    let novel = outcome.samples.filter { !known.contains($0) }.count
    outcome.novelShare = outcome.samples.isEmpty ? 0 : Double(novel) / Double(outcome.samples.count)
  }
}

extension TextTrainer.Outcome {
  /// Training and validation loss against steps, the bigram floor as a line.
  func chart(bigram: Double) -> Image {
    let last = Double(max(history.last?.step ?? 1, 1))
    var chart = LineChart(
      title: "CHARACTER MODEL: LOSS", xLabel: "STEP", yLabel: "NATS PER CHARACTER",
      series: [
        .init(
          name: "training (epoch mean)", color: LineChart.palette[0],
          points: history.map { (Double($0.step), $0.train) }),
        .init(
          name: "validation", color: LineChart.palette[3],
          points: history.map { (Double($0.step), $0.valid) }),
        .init(
          name: "bigram floor", color: LineChart.palette[2], points: [(0, bigram), (last, bigram)]),
      ])
    chart.height = 360
    return chart.render()
  }

  /// The network (or the bigram table) with the settings and vocabulary, for `text sample`.
  func save(to url: URL, config: String) throws {
    let metadata = ["config": config, "format": "playground text"]
    if let model {
      try model.save(to: url, metadata: metadata)
    } else {
      let size = bigram.vocabulary.size
      try SafeTensors.write(
        SafeTensors.Contents(
          tensors: [
            (
              "bigram.probabilities",
              Tensor(
                shape: [size, size], scalars: bigram.probabilities.flatMap { $0.map(Float.init) })
            )
          ], metadata: metadata.merging(["vocabulary": bigram.vocabulary.text]) { $1 }), to: url)
    }
  }
}
