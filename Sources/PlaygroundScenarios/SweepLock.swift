import Foundation
import PlaygroundConfig

/// An exclusive lock on a sweep's folder (`sweep/lock`, holding the pid), so that two
/// `playground run` of one sweep never take the same runs; the kernel releases it when the
/// process ends, however it ends.
final class SweepLock {
  private let descriptor: Int32

  /// Takes the lock of `folder`.
  /// - Throws: ``RunError`` naming the process that holds it.
  /// - Parameter what: what the folder holds, for the message (`sweep`, `study`).
  init(_ folder: URL, what: String = "sweep") throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("lock")
    descriptor = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw RunError("cannot create \(url.path): check that the output folder is writable")
    }
    guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
      let holder =
        (try? String(contentsOf: url, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
      close(descriptor)
      throw RunError(
        "another playground (pid \(holder)) is running this \(what) in \(folder.deletingLastPathComponent().path): wait for it to finish, or stop it first"
      )
    }
    ftruncate(descriptor, 0)
    let pid = "\(getpid())\n"
    _ = pid.withCString { write(descriptor, $0, strlen($0)) }
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
