import Foundation

/// Shell commands the tests need (mounting a small tmpfs as a full disk), run with `/bin/sh`.
public enum Shell {
  /// The exit status of `command` (its complaints discarded).
  @discardableResult
  public static func status(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
  }
}
