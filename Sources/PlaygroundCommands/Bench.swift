import ArgumentParser

/// `playground bench …`: performance measurements, compared against the anchor frameworks by the
/// scripts in `benchmarks/`.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure the speed of the playground's building blocks.",
    discussion: """
      Examples:
        playground bench core
        playground bench core --format tsv --min-seconds 0.5
        playground bench env
        playground bench vector --copies 1,64,1024
        benchmarks/core.sh        # side by side with PyTorch, with ratios
      """,
    subcommands: [CoreBenchmark.self, EnvironmentBenchmark.self, VectorBenchmark.self])
}
