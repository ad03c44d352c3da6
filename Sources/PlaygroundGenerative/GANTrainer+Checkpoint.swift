import PlaygroundCore
import PlaygroundNN

extension GANTrainer {
  /// Everything training continues from: both networks (parameters and batch-norm statistics),
  /// both optimizers' moments and step counts, and the position of the noise stream. Restoring
  /// it into a trainer of the same config continues exactly where this one stopped.
  public func checkpoint() -> SafeTensors.Contents {
    var tensors: [(name: String, tensor: Tensor)] = []
    var metadata: [String: String] = [:]
    for (prefix, layer) in [
      ("generator", generator as any Layer), ("discriminator", discriminator),
    ] {
      tensors += layer.namedState.map { ("\(prefix).\($0.name)", $0.tensor.detached()) }
    }
    for (prefix, optimizer) in [("adam_generator", optimizerG), ("adam_discriminator", optimizerD)]
    {
      let state = optimizer.state
      for (k, (m, v)) in zip(state.firstMoments, state.secondMoments).enumerated() {
        tensors.append(("\(prefix).m.\(k)", Tensor(shape: [m.count], scalars: m)))
        tensors.append(("\(prefix).v.\(k)", Tensor(shape: [v.count], scalars: v)))
      }
      metadata["\(prefix).steps"] = String(state.stepCount)
    }
    metadata["noise_random"] = random.snapshot.description
    for (k, dropout) in dropouts.enumerated() {
      metadata["dropout_random.\(k)"] = dropout.generator.snapshot.description
    }
    return SafeTensors.Contents(tensors: tensors, metadata: metadata)
  }

  /// Continues from a ``checkpoint()``; `source` names the file in messages.
  /// - Throws: ``CheckpointMismatch`` when it belongs to another architecture; nothing is
  ///   changed then.
  public func restore(_ contents: SafeTensors.Contents, source: String) throws {
    func part(_ prefix: String) -> SafeTensors.Contents {
      SafeTensors.Contents(
        tensors: contents.tensors.compactMap {
          $0.name.hasPrefix(prefix + ".")
            ? (String($0.name.dropFirst(prefix.count + 1)), $0.tensor) : nil
        })
    }
    func missing(_ what: String) -> CheckpointMismatch {
      CheckpointMismatch(description: "\(source) has no \(what): it is not a GAN training state")
    }
    var states: [Adam.State] = []
    for (prefix, optimizer) in [("adam_generator", optimizerG), ("adam_discriminator", optimizerD)]
    {
      // A step count is at most 2^40: far beyond any run, far from overflowing.
      guard let steps = contents.metadata["\(prefix).steps"].flatMap({ Int($0) }),
        (0...(1 << 40)).contains(steps)
      else {
        throw missing("\(prefix).steps (a whole number from 0 to 2^40)")
      }
      var state = Adam.State(stepCount: steps, firstMoments: [], secondMoments: [])
      for (k, parameter) in optimizer.parameters.enumerated() {
        guard let m = contents["\(prefix).m.\(k)"], let v = contents["\(prefix).v.\(k)"],
          m.count == parameter.count, v.count == parameter.count
        else { throw missing("moments \(prefix).m/v.\(k) of \(parameter.count) numbers") }
        state.firstMoments.append(m.scalars)
        state.secondMoments.append(v.scalars)
      }
      states.append(state)
    }
    guard let noise = contents.metadata["noise_random"].flatMap(RandomGenerator.Snapshot.init)
    else { throw missing("noise_random") }
    let masks = try dropouts.indices.map { k in
      guard
        let snapshot = contents.metadata["dropout_random.\(k)"].flatMap(
          RandomGenerator.Snapshot.init)
      else { throw missing("dropout_random.\(k)") }
      return snapshot
    }
    // Check both networks before changing either.
    let generatorState = part("generator")
    let discriminatorState = part("discriminator")
    for (layer, state) in [
      (generator as any Layer, generatorState), (discriminator, discriminatorState),
    ] {
      for (name, tensor) in layer.namedState where state[name]?.shape != tensor.shape {
        throw CheckpointMismatch(
          description:
            "\(source): '\(name)' is missing or has another shape; the run's config does not match its training state"
        )
      }
    }
    try generator.load(generatorState, source: source)
    try discriminator.load(discriminatorState, source: source)
    optimizerG.state = states[0]
    optimizerD.state = states[1]
    random.snapshot = noise
    for (dropout, snapshot) in zip(dropouts, masks) { dropout.generator.snapshot = snapshot }
  }

  /// The dropout layers of both networks, in order: their mask streams are part of the state.
  var dropouts: [Dropout] {
    (generator.body.layers + discriminator.body.layers).compactMap { $0 as? Dropout }
  }
}
