import Dispatch
import Foundation
import PlaygroundRuns

/// Ctrl-C removes the run folders in progress before exiting, so nothing half-written stays in
/// `outputs/`.
enum InterruptHandler {
  nonisolated(unsafe) private static var source: DispatchSourceSignal?

  static func install() {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
      RunFolder.discardAllInProgress()
      FileHandle.standardError.write(Data("\ninterrupted: the unfinished run was removed\n".utf8))
      exit(130)
    }
    source.resume()
    Self.source = source
  }
}
