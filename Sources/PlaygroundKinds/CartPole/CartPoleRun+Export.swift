import Foundation

extension CartPoleRun: ExportableRun {
  /// The Q-network: input `observation` `[batch, 4]`, output `q_values` `[batch, 2]`.
  public func exportedNetwork(run folder: URL) throws -> any ExportedModel {
    let model = folder.appendingPathComponent("model.safetensors")
    let limit = Float(environment.thetaThresholdDegrees * .pi / 180)
    let x = Float(environment.xThreshold)
    return ExportedNetwork(
      network: try CartPoleReplay.qNetwork(model, inputs: 4, outputs: 2),
      input: .init(name: "observation", shape: [4]), output: .init(name: "q_values", shape: [2]),
      description: "cart-pole DQN", inputRange: [-x...x, -2...2, -limit...limit, -2...2])
  }
}
