import PlaygroundCore
import PlaygroundNN

extension FlowTrainer {
  /// Everything training continues from: the network, its moving average, Adam's moments and
  /// step count, and the position of the step stream.
  public func checkpoint() -> SafeTensors.Contents {
    var tensors: [(name: String, tensor: Tensor)] = []
    tensors += network.namedState.map { ("network.\($0.name)", $0.tensor.detached()) }
    tensors += averaged.namedState.map { ("ema.\($0.name)", $0.tensor.detached()) }
    let state = optimizer.state
    for (k, (m, v)) in zip(state.firstMoments, state.secondMoments).enumerated() {
      tensors.append(("adam.m.\(k)", Tensor(shape: [m.count], scalars: m)))
      tensors.append(("adam.v.\(k)", Tensor(shape: [v.count], scalars: v)))
    }
    return SafeTensors.Contents(
      tensors: tensors,
      metadata: [
        "adam.steps": String(state.stepCount), "ema.updates": String(ema.updates),
        "step_random": random.snapshot.description,
      ])
  }

  /// Continues from a ``checkpoint()``; `source` names the file in messages.
  /// - Throws: ``CheckpointMismatch`` when it belongs to another architecture; nothing is
  ///   changed then.
  public func restore(_ contents: SafeTensors.Contents, source: String) throws {
    func missing(_ what: String) -> CheckpointMismatch {
      CheckpointMismatch(
        description: "\(source) has no \(what): it is not a flow training state of these settings")
    }
    guard let steps = contents.metadata["adam.steps"].flatMap({ Int($0) }),
      (0...(1 << 40)).contains(steps)
    else { throw missing("adam.steps (a whole number from 0 to 2^40)") }
    guard let updates = contents.metadata["ema.updates"].flatMap({ Int($0) }),
      (0...(1 << 40)).contains(updates)
    else { throw missing("ema.updates (a whole number from 0 to 2^40)") }
    guard
      let snapshot = contents.metadata["step_random"].flatMap(RandomGenerator.Snapshot.init)
    else { throw missing("step_random") }
    var state = Adam.State(stepCount: steps, firstMoments: [], secondMoments: [])
    for (k, parameter) in optimizer.parameters.enumerated() {
      guard let m = contents["adam.m.\(k)"], let v = contents["adam.v.\(k)"],
        m.count == parameter.count, v.count == parameter.count
      else { throw missing("moments adam.m/v.\(k) of \(parameter.count) numbers") }
      state.firstMoments.append(m.scalars)
      state.secondMoments.append(v.scalars)
    }
    let parts = [("network", network), ("ema", averaged)].map { prefix, layer in
      (layer, contents.part(prefix))
    }
    for (layer, part) in parts {
      for (name, tensor) in layer.namedState where part[name]?.shape != tensor.shape {
        throw CheckpointMismatch(
          description:
            "\(source): '\(name)' is missing or has another shape; the run's config does not match its training state"
        )
      }
    }
    for (layer, part) in parts { try layer.load(part, source: source) }
    optimizer.state = state
    ema.updates = updates
    random.snapshot = snapshot
  }
}

extension SafeTensors.Contents {
  /// The tensors named `prefix.…`, without the prefix.
  func part(_ prefix: String) -> SafeTensors.Contents {
    SafeTensors.Contents(
      tensors: tensors.compactMap {
        $0.name.hasPrefix(prefix + ".")
          ? (String($0.name.dropFirst(prefix.count + 1)), $0.tensor) : nil
      })
  }
}
