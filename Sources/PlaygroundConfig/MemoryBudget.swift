import Foundation
import PlaygroundFiles

/// What a run may hold in memory, checked before it allocates: a run whose settings need more
/// than the machine has is one line naming the settings to lower, never an abort ("failed to
/// allocate N bytes") after minutes of work.
public enum MemoryBudget {
  /// The bytes this process may use: the machine's memory, or its control group's limit when
  /// lower (a container, a Slurm job with cgroups); `PLAYGROUND_MEMORY_LIMIT` (bytes, or with a
  /// K, M or G suffix) when set.
  public static var available: Int {
    if let text = ProcessInfo.processInfo.environment["PLAYGROUND_MEMORY_LIMIT"],
      let bytes = parse(text)
    {
      return bytes
    }
    let machine = Int(clamping: ProcessInfo.processInfo.physicalMemory)
    let group = (try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8))
      .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    return min(machine, group ?? machine)
  }

  /// What is wrong with `PLAYGROUND_MEMORY_LIMIT`, as one line; `nil` when it is unset or a
  /// size.
  public static var environmentProblem: String? {
    guard let text = ProcessInfo.processInfo.environment["PLAYGROUND_MEMORY_LIMIT"],
      parse(text) == nil
    else { return nil }
    return
      "PLAYGROUND_MEMORY_LIMIT=\(text) is not a size: use a whole number of bytes above 0, or one with K, M or G (e.g. 2G)"
  }

  /// The share of ``available`` a run may plan to use (the rest: the system, other runs).
  static let share = 0.8

  /// Throws ``RunError`` when `bytes` is more than this machine can give a run.
  /// - Parameters:
  ///   - what: what needs it, e.g. "DQN's networks, optimizer and replay buffer".
  ///   - settings: what to lower, e.g. "hidden_sizes or buffer_size".
  /// The bytes a run may use: 80% of ``available``.
  public static var runBytes: Double { Double(available) * share }

  public static func check(_ bytes: Double, for what: String, lower settings: String) throws {
    let limit = runBytes
    guard bytes.isFinite, bytes <= limit else {
      throw RunError(
        "\(what) would need about \(gibibytes(bytes)), more than the \(gibibytes(limit)) a run may use here (80% of \(gibibytes(Double(available)))): lower \(settings)"
      )
    }
  }

  /// `12.3 GiB`.
  static func gibibytes(_ bytes: Double) -> String {
    guard bytes.isFinite else { return "an unbounded amount" }
    // Below a tenth of a GiB (a small PLAYGROUND_MEMORY_LIMIT), in the unit that shows it.
    guard bytes >= 0.1 * 1_073_741_824 else { return UserFile.describe(bytes: Int(bytes)) }
    return String(format: "%.1f GiB", bytes / 1_073_741_824)
  }

  /// `512M`, `2G`, `1048576` as bytes.
  static func parse(_ text: String) -> Int? {
    let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
    guard let last = trimmed.last else { return nil }
    if let unit = units[last], let count = Int(trimmed.dropLast()), count > 0 {
      return count.multipliedReportingOverflow(by: unit).overflow ? nil : count * unit
    }
    return Int(trimmed).flatMap { $0 > 0 ? $0 : nil }
  }
}
