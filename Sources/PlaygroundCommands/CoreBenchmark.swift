import ArgumentParser
import PlaygroundCore

extension ComputeBackend: ExpressibleByArgument {}

/// `playground bench core`: sgemm at the playground's shapes, convolutions forward and backward,
/// and the fixed cost of one recorded operation.
struct CoreBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "core",
    abstract:
      "Time sgemm, conv2d/conv-transpose2d and LSTM/GRU forward+backward, and per-op overhead.",
    discussion: """
      Each workload runs for at least --min-seconds after a warm-up; the median of five such rounds is reported, on each backend (oneDNN and OpenBLAS) with the thread count PLAYGROUND_THREADS sets (default: every core). The same workloads in PyTorch: benchmarks/core_torch.py.

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

  @Option(help: "Time only this backend (onednn or openblas; default: both, side by side).")
  var backend: ComputeBackend?

  func validate() throws {
    guard minSeconds > 0 else {
      throw ValidationError("--min-seconds must be positive, got \(minSeconds)")
    }
  }

  func run() throws {
    let workloads = CoreWorkload.all.filter { only == nil || $0.name.contains(only!) }
    guard !workloads.isEmpty else {
      throw ValidationError(
        "--only \(only ?? ""): no workload's name contains it; the workloads: \(CoreWorkload.all.map(\.name).joined(separator: "; "))"
      )
    }
    let threads = Compute.settings.threads
    let backends = backend.map { [$0] } ?? ComputeBackend.allCases
    for backend in backends {
      if case .failure(let error) = backend.load() { throw CommandFailure(error.description) }
    }
    printHeader(backends, threads: threads)
    for workload in workloads {
      var cells: [String] = [workload.name]
      for backend in backends {
        let seconds = try Compute.with(ComputeSettings(backend: backend, threads: threads)) {
          Timing.median(minSeconds: minSeconds, workload.makeRun())
        }
        let gflops = workload.flops > 0 ? workload.flops / seconds / 1e9 : nil
        cells += [format(seconds * 1e6), gflops.map(format) ?? (self.format == .table ? "–" : "")]
      }
      print(line(cells))
    }
  }

  /// The libraries and threads, then the column names.
  private func printHeader(_ backends: [ComputeBackend], threads: Int) {
    let blas = BLAS.shared
    var libraries = ["threads=\(threads)"]
    if backends.contains(.onednn), case .success(let dnnl) = OneDNN.loaded {
      libraries.append("onednn=\(dnnl.version)")
    }
    if backends.contains(.openblas) {
      libraries.append("openblas_core=\(blas.coreName) (\(blas.coreSource))")
    }
    print("# " + libraries.joined(separator: " "))
    print(
      line(
        ["workload"]
          + backends.flatMap {
            format == .table
              ? ["\($0.rawValue) µs", "GFLOP/s"] : ["\($0.rawValue)_us", "\($0.rawValue)_gflops"]
          }))
  }

  /// One row: aligned columns, or tab-separated.
  private func line(_ cells: [String]) -> String {
    guard format == .table else { return cells.joined(separator: "\t") }
    return pad(cells[0], 38)
      + cells.dropFirst().enumerated().map { pad($1, $0 % 2 == 0 ? 14 : 10, left: true) }.joined()
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
