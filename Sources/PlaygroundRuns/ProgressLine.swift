import Foundation

/// A Keras-style progress line for a long loop:
/// `157/157 [==============================] - 1s 3ms/step - loss: 0.2900 - accuracy: 0.9200`.
///
/// On a terminal the line is redrawn in place (at most ten times a second); otherwise only the
/// finished line is printed, so logs stay short. Quiet progress prints nothing.
public final class ProgressLine {
  public let total: Int
  public let unit: String
  private let quiet: Bool
  private let interactive: Bool
  private let start = Date()
  private var lastDraw = Date.distantPast

  /// - Parameters:
  ///   - total: the number of steps.
  ///   - unit: what a step is, for the rate ("step", "episode").
  public init(total: Int, unit: String = "step", quiet: Bool) {
    self.total = total
    self.unit = unit
    self.quiet = quiet
    interactive = isatty(STDOUT_FILENO) != 0
  }

  /// Shows `done` of ``total`` steps with the current metrics.
  public func update(_ done: Int, metrics: [(String, Double)] = []) {
    guard !quiet, interactive else { return }
    let now = Date()
    guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
    lastDraw = now
    print("\r" + line(done, metrics: metrics, final: false), terminator: "")
    fflush(nil)
  }

  /// Prints the finished line.
  public func finish(metrics: [(String, Double)] = []) {
    guard !quiet else { return }
    let text = line(total, metrics: metrics, final: true)
    // On a terminal: back to the line's start, and clear what a longer line left behind.
    print(interactive ? "\r" + text + "\u{1B}[K" : text)
    fflush(nil)
  }

  /// Prints a line of its own (e.g. an evaluation) above the progress line.
  public func note(_ text: String) {
    guard !quiet else { return }
    print(interactive ? "\r" + text + "\u{1B}[K" : text)
    lastDraw = .distantPast
    fflush(nil)
  }

  /// The elapsed time in seconds.
  public var elapsed: TimeInterval { Date().timeIntervalSince(start) }

  /// The text of the line after `done` steps (what ``update(_:metrics:)`` and ``finish(metrics:)``
  /// draw), for tests.
  public func lineForTesting(_ done: Int, metrics: [(String, Double)], final: Bool = true) -> String
  {
    line(done, metrics: metrics, final: final)
  }

  func line(_ done: Int, metrics: [(String, Double)], final: Bool) -> String {
    let width = 30
    let filled = total > 0 ? min(width, done * width / total) : width
    let bar =
      String(repeating: "=", count: max(filled - (filled < width ? 1 : 0), 0))
      + (filled < width ? ">" : "")
      + String(repeating: ".", count: width - filled)
    let counter =
      "\(String(repeating: " ", count: String(total).count - String(done).count))\(done)/\(total)"
    let seconds = elapsed
    var timing: String
    if final {
      let perStep = seconds / Double(max(done, 1))
      timing = "\(Self.duration(seconds)) \(Self.perStep(perStep))/\(unit)"
    } else {
      let eta = done > 0 ? seconds / Double(done) * Double(total - done) : 0
      timing = "ETA: \(Self.duration(eta))"
    }
    let values = metrics.map { " - \($0.0): \(Self.metric($0.1))" }.joined()
    return "\(counter) [\(bar)] - \(timing)\(values)"
  }

  static func duration(_ seconds: TimeInterval) -> String {
    seconds < 60
      ? "\(Int(seconds.rounded()))s"
      : "\(Int(seconds) / 60)m\(String(format: "%02d", Int(seconds) % 60))s"
  }

  static func perStep(_ seconds: TimeInterval) -> String {
    seconds >= 1
      ? String(format: "%.1fs", seconds)
      : seconds >= 1e-3
        ? "\(Int((seconds * 1e3).rounded()))ms" : "\(Int((seconds * 1e6).rounded()))us"
  }

  static func metric(_ value: Double) -> String {
    String(format: "%.4f", value)
  }
}
