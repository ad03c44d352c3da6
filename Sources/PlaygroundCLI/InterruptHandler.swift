import Dispatch
import Foundation
import PlaygroundRuns

/// Ctrl-C asks a run that can save its state (a GAN) to stop after its current step, and a sweep
/// to stop once its runs stop; any other run — or a second Ctrl-C — removes the run folders in
/// progress and exits, so nothing half-written stays in `outputs/`.
enum InterruptHandler {
  nonisolated(unsafe) private static var source: DispatchSourceSignal?

  static func install() {
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler {
      if let notice = Interruption.request() {
        FileHandle.standardError.write(Data("\n\(notice) (Ctrl-C again to quit at once)\n".utf8))
        return
      }
      RunFolder.discardAllInProgress()
      FileHandle.standardError.write(Data("\ninterrupted: the unfinished run was removed\n".utf8))
      exit(130)
    }
    source.resume()
    Self.source = source
  }
}
