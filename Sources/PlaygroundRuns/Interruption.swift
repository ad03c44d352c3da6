import Foundation

/// Ctrl-C as a request rather than an ending: a run that can save its state listens (with
/// ``listen(_:)``) and checks ``isRequested`` between steps; a run that cannot is simply removed.
public enum Interruption {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var requested = false
  nonisolated(unsafe) private static var listeners = 0
  nonisolated(unsafe) private static var notices: [String] = []

  /// Whether the user asked the run to stop.
  public static var isRequested: Bool { lock.withLock { requested } }

  /// Asks a listening run to stop at its next step.
  /// - Returns: what the listener does now, to tell the user, when a run listens and this is
  ///   the first request; `nil` when the caller should end the process itself.
  public static func request() -> String? {
    lock.withLock {
      defer { requested = true }
      return listeners > 0 && !requested ? notices.last : nil
    }
  }

  /// Runs `body` as a listener: Ctrl-C during it sets ``isRequested`` instead of ending the
  /// process. `notice` says what happens then, e.g. "stopping after this step to save a
  /// checkpoint".
  public static func listen<T>(notice: String, _ body: () throws -> T) rethrows -> T {
    lock.withLock {
      listeners += 1
      notices.append(notice)
    }
    defer {
      lock.withLock {
        listeners -= 1
        notices.removeLast()
      }
    }
    return try body()
  }

  /// Whether a signal is ending the process (``beginEnding()``): what the run's thread does
  /// meanwhile — an error from a folder just removed, or its end — must neither be reported nor
  /// end the process before the signal's handler does.
  public static var isEnding: Bool { lock.withLock { ending } }
  nonisolated(unsafe) private static var ending = false

  /// Marks the process as ending by a signal.
  public static func beginEnding() { lock.withLock { ending = true } }

  /// Forgets a request (for tests that run several jobs in one process).
  public static func reset() { lock.withLock { requested = false } }
}

/// A run stopped at the user's request after saving what it needs to continue.
public struct RunInterrupted: Error, CustomStringConvertible {
  public let description: String
  /// The run folder saved for resuming, if any.
  public let folder: URL?
  public init(_ description: String, folder: URL? = nil) {
    self.description = description
    self.folder = folder
  }
}
