import Dispatch
import Foundation
import PlaygroundRuns

/// Ctrl-C (SIGINT), and SIGTERM and SIGHUP alike (what `timeout`, a cluster's time limit or a
/// closed terminal send), ask a run that can save its state (a GAN) to stop after its current
/// step, and a sweep to stop once its runs stop; any other run — or a second signal — removes
/// the run folders in progress and exits (128 + the signal's number), so nothing half-written
/// stays in `outputs/`.
///
/// That exit is `_exit`: the training thread may be inside a oneDNN or OpenBLAS kernel, on
/// OpenMP's threads, and `exit`'s handlers would tear down the libraries under it (a crash seen
/// as SIGSEGV or SIGABRT). Meanwhile the main thread, should its run fail on the removed folder
/// or end, waits for this exit instead of reporting or exiting (``waitIfEnding()``).
enum InterruptHandler {
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
  /// Called when a signal ends the process, after the runs in progress are removed (a sweep's
  /// task reports that it was interrupted).
  nonisolated(unsafe) static var beforeExit: (() -> Void)?

  static func install() {
    for number in [SIGINT, SIGTERM, SIGHUP] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        if let notice = Interruption.request() {
          FileHandle.standardError.write(
            Data("\n\(notice) (Ctrl-C again to quit at once)\n".utf8))
          return
        }
        Interruption.beginEnding()
        RunFolder.discardAllInProgress()
        beforeExit?()
        FileHandle.standardError.write(Data("\ninterrupted: the unfinished run was removed\n".utf8))
        _exit(128 + number)
      }
      source.resume()
      sources.append(source)
    }
  }

  /// Blocks for good when a signal is ending the process, so that its handler's exit comes
  /// first; returns at once otherwise.
  static func waitIfEnding() {
    guard Interruption.isEnding else { return }
    while true { pause() }
  }
}
