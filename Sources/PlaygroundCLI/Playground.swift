import ArgumentParser

/// The `playground` command: learn and experiment with deep learning on a laptop's CPU.
@main
struct Playground: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "playground",
    abstract: "Run real agents and generative models on your CPU, and look at what comes out.",
    discussion: """
      Everything runs on one neural-net core written in Swift (tensors, reverse-mode autodiff,
      layers, losses, optimizers), checked against PyTorch.

      Examples:
        playground bench core              # GEMM, convolution and per-op overhead timings
        playground bench core --format tsv # the same, machine-readable
      """,
    version: version,
    subcommands: [Bench.self])
}
