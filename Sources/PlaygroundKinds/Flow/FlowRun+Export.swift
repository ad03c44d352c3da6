import Foundation
import PlaygroundCore
import PlaygroundExport
import PlaygroundGenerative
import PlaygroundNN
import PlaygroundRandom

extension FlowRun: ExportableRun {
  /// The velocity network with the averaged (EMA) weights that sampling uses: inputs `image`
  /// `[batch, 1, side, side]`, `t` `[batch]` (float, in [0, 1]) and `label` `[batch]` (int64,
  /// `classes` for none); output `velocity` `[batch, 1, side, side]`.
  public func exportedNetwork(run folder: URL) throws -> any ExportedModel {
    let url = folder.appendingPathComponent("ema.safetensors")
    let (network, _) = try FlowSampling.network(from: SafeTensors.read(from: url), source: url)
    return FlowVelocityExport(network: network)
  }
}

/// A flow U-Net's velocity as an ONNX graph: the same steps as ``FlowUNet/velocity(_:times:labels:)``
/// — the time's sinusoidal embedding and MLP plus the label's row, the blocks with their skip
/// connections, average pooling down and nearest upsampling up — with the weights named as in
/// `ema.safetensors`.
struct FlowVelocityExport: ExportedModel {
  let network: FlowUNet

  var description: String { "flow velocity U-Net (EMA weights)" }
  var weights: any Layer { network }

  private var image: ONNXExport.Port {
    .init(name: "image", shape: [1, network.side, network.side])
  }

  func onnx(name: String, metadata: [(String, String)]) throws -> Data {
    var graph = ONNXGraph(name: name)
    let x = graph.input(image)
    let t = graph.input(.init(name: "t", shape: []))
    let label = graph.labelInput("label")
    let time = try graph.layer(
      network.t2, prefix: "t.2",
      from: graph.silu(
        graph.layer(
          network.t0, prefix: "t.0",
          from: graph.sinusoidal(network.time, of: t, name: "t.embedding")),
        name: "t.1"))
    let e = graph.sum(time, graph.rows(of: network.y, prefix: "y", at: label), name: "e")
    func block(_ block: UNetBlock, _ prefix: String, _ input: String) throws -> String {
      try Self.append(block, prefix: prefix, from: input, embedding: e, to: &graph)
    }
    let h0 = try block(network.d0, "d0", graph.layer(network.inp, prefix: "inp", from: x))
    let h1 = try block(network.d1, "d1", graph.averagePooled2x2(h0, name: "down1"))
    let h2 = try block(network.d2, "d2", graph.averagePooled2x2(h1, name: "down2"))
    let m = try block(network.mid, "mid", h2)
    var u = try block(network.u2, "u2", graph.concatenatedChannels([m, h2], name: "join2"))
    u = try block(
      network.u1, "u1",
      graph.concatenatedChannels([graph.upsampledNearest2x(u, name: "up1"), h1], name: "join1"))
    u = try block(
      network.u0, "u0",
      graph.concatenatedChannels([graph.upsampledNearest2x(u, name: "up0"), h0], name: "join0"))
    let normalized = try graph.layer(network.outNorm, prefix: "out.0", from: u)
    let velocity = try graph.layer(
      network.out, prefix: "out.2", from: graph.silu(normalized, name: "out.1"))
    graph.output(.init(name: "velocity", shape: image.shape), from: velocity)
    return try graph.model(metadata: metadata)
  }

  /// A ``UNetBlock``: `n1 → SiLU → c1`, plus `e`'s projection at every pixel, `n2 → SiLU → c2`,
  /// plus the input (through `skip` where the width changes).
  private static func append(
    _ block: UNetBlock, prefix: String, from x: String, embedding: String,
    to graph: inout ONNXGraph
  ) throws -> String {
    func layer(_ layer: any Layer, _ name: String, _ input: String) throws -> String {
      try graph.layer(layer, prefix: "\(prefix).\(name)", from: input)
    }
    let first = try layer(
      block.c1, "c1", graph.silu(layer(block.n1, "n1", x), name: "\(prefix).silu1"))
    let h = try graph.addingPerChannel(
      first, layer(block.e, "e", embedding), name: "\(prefix).conditioned")
    let second = try layer(
      block.c2, "c2", graph.silu(layer(block.n2, "n2", h), name: "\(prefix).silu2"))
    let shortcut = try block.skip.map { try layer($0, "skip", x) } ?? x
    return graph.sum(second, shortcut, name: "\(prefix).out")
  }

  /// `count` noisy images from N(0, 1), times uniform in [0, 1] and labels from every class and
  /// "no label", with the velocities for them.
  func checkData(count: Int, seed: UInt64, images: Tensor?) -> SafeTensors.Contents {
    let generator = RandomGenerator(seed: seed)
    let x = images ?? generator.normalTensor([count] + image.shape)
    let n = x.shape[0]
    let times = (0..<n).map { _ in generator.uniform() }
    let labels = (0..<n).map { _ in generator.integer(below: network.classes + 1) }
    let velocity = withoutGradient { network.velocity(x, times: times, labels: labels) }
    return SafeTensors.Contents(
      tensors: [
        ("input", x), ("time", Tensor(shape: [n], scalars: times)),
        ("label", Tensor(shape: [n], scalars: labels.map(Float.init))), ("output", velocity),
      ],
      metadata: ["input": "image", "time": "t", "label": "label", "output": "velocity"])
  }
}
