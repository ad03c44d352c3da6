import ArgumentParser
import PlaygroundScenarios

/// `playground run --executor slurm`'s options, mapped to sbatch's own.
struct SlurmOptions: ParsableArguments {
  @Option(help: "The partition (sbatch --partition; default: the cluster's).")
  var partition: String?

  @Option(
    name: .customLong("time"),
    help:
      "Each run's time limit (sbatch --time: 30, 1:30:00, 2-00:00:00; default: the partition's).")
  var timeLimit: String?

  @Option(help: "CPUs per run (sbatch --cpus-per-task; default: what one run of the kind uses).")
  var cpusPerTask: Int?

  @Option(help: "Runs at a time (the %K of sbatch --array; default: as many as Slurm gives).")
  var maxConcurrent: Int?

  @Option(
    name: .customLong("sbatch-arg"), parsing: .unconditionalSingleValue,
    help: ArgumentHelp(
      "A further sbatch option, one per use (repeatable), e.g. --sbatch-arg=--mem=4G.",
      valueName: "option"))
  var sbatchArguments: [String] = []

  @Flag(help: "Write <name>/sweep/slurm.sh and print it; submit nothing.")
  var printScript = false

  @Flag(help: "Submit and return with the job id; run the same command again to collect.")
  var detach = false

  /// The request, with `cpusPerTask` when none was given.
  func request(cpusPerTask runCPUs: Int) -> SlurmRequest {
    SlurmRequest(
      partition: partition, timeLimit: timeLimit, cpusPerTask: cpusPerTask ?? runCPUs,
      maxConcurrent: maxConcurrent, extraArguments: sbatchArguments)
  }

  /// The first Slurm option given, to refuse it with `--executor local`.
  var givenOption: String? {
    if partition != nil { return "--partition" }
    if timeLimit != nil { return "--time" }
    if cpusPerTask != nil { return "--cpus-per-task" }
    if maxConcurrent != nil { return "--max-concurrent" }
    if !sbatchArguments.isEmpty { return "--sbatch-arg" }
    if printScript { return "--print-script" }
    if detach { return "--detach" }
    return nil
  }
}
