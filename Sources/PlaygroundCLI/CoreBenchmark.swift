import ArgumentParser
import PlaygroundCore

/// `playground bench core`: sgemm at the playground's shapes, convolutions forward and backward,
/// and the fixed cost of one recorded operation.
struct CoreBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "core",
    abstract:
      "Time sgemm, conv2d/conv-transpose2d and LSTM/GRU forward+backward, and per-op overhead.",
    discussion: """
      Each workload runs for at least --min-seconds after a warm-up; the median of five such rounds is reported. The same workloads in PyTorch: benchmarks/core_torch.py.

      Examples:
        playground bench core
        playground bench core --format tsv
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, tsv
  }

  @Option(help: "Output as an aligned table or as tab-separated values.")
  var format: Format = .table

  @Option(help: "Minimum time per round, in seconds.")
  var minSeconds: Double = 0.2

  @Option(help: "Run only the workloads whose name contains this text.")
  var only: String?

  func validate() throws {
    guard minSeconds > 0 else {
      throw ValidationError("--min-seconds must be positive, got \(minSeconds)")
    }
  }

  func run() throws {
    let blas = BLAS.shared
    let workloads = CoreWorkload.all.filter { only == nil || $0.name.contains(only!) }
    guard !workloads.isEmpty else {
      throw ValidationError(
        "--only \(only ?? ""): no workload's name contains it; the workloads: \(CoreWorkload.all.map(\.name).joined(separator: "; "))"
      )
    }
    var rows: [(CoreWorkload, Double)] = []
    if format == .table {
      print("OpenBLAS core: \(blas.coreName) (\(blas.coreSource)), library \(blas.libraryPath)")
      print(pad("workload", 38) + pad("µs", 12, left: true) + pad("GFLOP/s", 10, left: true))
    } else {
      print("# openblas_core=\(blas.coreName) source=\(blas.coreSource)")
      print("workload\tmicroseconds\tgflops")
    }
    for workload in workloads {
      let seconds = Timing.median(minSeconds: minSeconds, workload.makeRun())
      rows.append((workload, seconds))
      let micro = seconds * 1e6
      let gflops = workload.flops > 0 ? workload.flops / seconds / 1e9 : nil
      if format == .table {
        print(
          pad(workload.name, 38) + pad(format(micro), 12, left: true)
            + pad(gflops.map(format) ?? "–", 10, left: true))
      } else {
        print("\(workload.name)\t\(format(micro))\t\(gflops.map(format) ?? "")")
      }
    }
  }

  private func format(_ value: Double) -> String {
    let rounded = value >= 100 ? (value * 10).rounded() / 10 : (value * 1000).rounded() / 1000
    return "\(rounded)"
  }

  private func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let padding = String(repeating: " ", count: max(width - text.count, 1))
    return left ? padding + text : text + padding
  }
}
