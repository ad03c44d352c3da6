import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundGenerative
import PlaygroundKinds
import PlaygroundRuns
import TestSupport
import Testing

/// A GAN interrupted when the disk is full keeps its last save instead of losing the run: on a
/// tmpfs with room for the first epoch's periodic save but not for the interruption's, the
/// run stops with one line, stays resumable, and — once there is room — resumes to the same
/// results as a run that never stopped.
@Suite(.onOneBackend) struct GANFullDiskTests {
  @Test func anInterruptionOnAFullDiskKeepsTheLastSave() throws {
    let data = try SyntheticDigits.folder()
    defer { try? FileManager.default.removeItem(at: data) }
    func context(_ folder: URL) -> RunContext { GANResumeTests.context(folder, data: data) }
    var job = GANRun(config: GANResumeTests.config(.mlp))
    job.config.epochs = 2
    job.saveEverySeconds = 0
    let reference = try job.run(in: context(data.appendingPathComponent("whole")))

    // How much one epoch's files and save take: a run stopped at the first epoch's end.
    var stopped = job
    stopped.interruptAfterSteps = 9
    let measure = data.appendingPathComponent("measure")
    #expect(throws: RunInterrupted.self) { try stopped.run(in: context(measure)) }
    let measured = measure.appendingPathComponent("gan-mnist/latest").resolvingSymlinksInPath()
    let stateBytes = try Self.bytes(
      measured.appendingPathComponent("checkpoint/training-state.safetensors"))
    let folderBytes = try Self.bytes(measured)

    // Room for that (the networks the interruption saved stand for the margin), not for a
    // second state beside the first: the interruption at step 13 cannot save.
    let mountPoint = data.appendingPathComponent("disk")
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    let size = (folderBytes + 64 * 4096) / 4096 * 4096
    guard Shell.status("mount -t tmpfs -o size=\(size) tmpfs '\(mountPoint.path)'") == 0 else {
      return
    }
    defer { _ = Shell.status("umount '\(mountPoint.path)'") }
    #expect(size - folderBytes < stateBytes)
    stopped.interruptAfterSteps = 13
    #expect {
      try stopped.run(in: context(mountPoint))
    } throws: {
      "\($0)".contains("the run is kept as of its last save")
    }
    let run = mountPoint.appendingPathComponent("gan-mnist/latest").resolvingSymlinksInPath()
    #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("config.yaml").path))

    // With room again (the run moved off the small disk), it resumes to the same results.
    let roomy = data.appendingPathComponent("roomy/gan-mnist")
    try FileManager.default.createDirectory(
      at: roomy.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: run.deletingLastPathComponent(), to: roomy)
    let moved = roomy.appendingPathComponent(run.lastPathComponent)
    _ = try GANRun.resume(moved, in: context(data.appendingPathComponent("roomy")))
    for file in ["metrics.csv", "samples/final.png", "generator.safetensors"] {
      #expect(
        try Data(contentsOf: reference.appendingPathComponent(file))
          == Data(contentsOf: moved.appendingPathComponent(file)), "\(file)")
    }
  }

  /// The bytes of the file at `url`, or of every file under the folder there.
  static func bytes(_ url: URL) throws -> Int {
    let manager = FileManager.default
    let paths = (try? manager.subpathsOfDirectory(atPath: url.path)) ?? []
    let files = paths.isEmpty ? [url] : paths.map { url.appendingPathComponent($0) }
    return try files.reduce(0) { total, file in
      let attributes = try manager.attributesOfItem(atPath: file.path)
      guard attributes[.type] as? FileAttributeType == .typeRegular else { return total }
      return total + ((attributes[.size] as? Int) ?? 0)
    }
  }

}
