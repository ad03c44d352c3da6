import Foundation
import TestSupport
import Testing

/// Bad input that used to trap, allocate without bound, or read as something else: each is one
/// clear line, a non-zero exit, and nothing left in outputs.
@Suite(.onOneBackend) struct HostileInputTests {
  static func outputs() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID())")
  }

  @Test(arguments: [
    (["rl", "cartpole", "--seed", "-1"], "'-1' is invalid for '--seed"),
    (
      ["gan", "sample", "--checkpoint", "/nonexistent", "--count", "1000000"],
      "--count must be at most 10000"
    ),
    (["rl", "cartpole", "--steps", "2000000000"], "total_steps must be at most 10^9"),
    (["classify", "mnist", "--epochs", "1000000"], "epochs must be at most 100000"),
    (["gan", "mnist", "--epochs", "0", "--minutes", "0"], "set epochs or minutes"),
    (
      ["flow", "sample", "--checkpoint", "/nonexistent", "--guidance-interval", "0.8,0.2"],
      "--guidance-interval must be FROM,TO with 0 ≤ FROM ≤ TO ≤ 1"
    ),
    (
      ["flow", "sample", "--checkpoint", "/nonexistent", "--guidance-interval", "0.3"],
      "--guidance-interval must be FROM,TO"
    ),
  ])
  func settingsOutOfRangeAreOneLine(_ arguments: [String], _ expected: String) throws {
    try Self.expectOneLine(arguments, expected)
  }

  /// Runs the binary with `arguments` (and an output folder, unless the command writes no run:
  /// `bench`, `gan sample`, `text sample`): a non-zero exit, one line containing `expected`, no
  /// output folder.
  static func expectOneLine(
    _ arguments: [String], _ expected: String, environment: [String: String] = [:]
  ) throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let writesNoRun = arguments.first == "bench" || arguments.dropFirst().first == "sample"
    let folder = writesNoRun ? [] : ["--output-dir", outputs.path]
    let outcome = try BinaryRunner.run(arguments + folder, environment: environment)
    #expect(outcome.status != 0)
    let lines = outcome.standardError.split(separator: "\n")
    #expect(lines.count == 1 && lines[0].contains(expected), "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: outputs.path))
  }

  /// A pipe named where a file is read — a settings file, an agent, a scenario, a library — is
  /// one line at once, not a command that waits for a writer forever.
  @Test func pipesAreRefusedWhereFilesAreRead() throws {
    let folder = Self.outputs()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let pipe = folder.appendingPathComponent("settings.yaml")
    #expect(mkfifo(pipe.path, 0o600) == 0)
    let notRegular = "is not a regular file"
    try Self.expectOneLine(["rl", "cartpole", "--config", pipe.path], notRegular)
    try Self.expectOneLine(["rl", "cartpole", "--agent", pipe.path], notRegular)
    try Self.expectOneLine(["run", pipe.path], notRegular)
    let map = folder.appendingPathComponent("map.txt")
    #expect(mkfifo(map.path, 0o600) == 0)
    try Self.expectOneLine(["rl", "gridworld", "--map", map.path], notRegular)
    // Checkpoints, corpora and pictures go through the same reader (UserFile).
    try Self.expectOneLine(["gan", "sample", "--checkpoint", pipe.path], notRegular)
    try Self.expectOneLine(["text", "sample", "--checkpoint", pipe.path], notRegular)
    try Self.expectOneLine(["text", "names", "--data", pipe.path, "--epochs", "1"], notRegular)
    let picture = folder.appendingPathComponent("final.png")
    #expect(mkfifo(picture.path, 0o600) == 0)
    let inspected = try BinaryRunner.run(["inspect", picture.path])
    #expect(inspected.status != 0 && inspected.standardError.contains(notRegular))
    try Self.expectOneLine(
      ["rl", "cartpole"], "PLAYGROUND_BLAS_LIBRARY=\(pipe.path) is not a regular file",
      environment: ["PLAYGROUND_BLAS_LIBRARY": pipe.path])
    try Self.expectOneLine(
      ["rl", "cartpole"], "PLAYGROUND_DNNL_LIBRARY=\(pipe.path) is not a regular file",
      environment: ["PLAYGROUND_BACKEND": "onednn", "PLAYGROUND_DNNL_LIBRARY": pipe.path])
  }

  /// An agent file asking for huge networks is refused before anything is allocated.
  @Test func hugeNetworksAreRefusedBeforeAllocating() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
    let agent = outputs.appendingPathComponent("huge.yaml")
    try "hidden_sizes: [100000, 100000]\n".write(to: agent, atomically: true, encoding: .utf8)
    let outcome = try BinaryRunner.run([
      "rl", "cartpole", "--agent", agent.path, "--output-dir", outputs.path,
    ])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains("widths must be at most 8192"), "\(outcome.standardError)")
  }

  /// A network and buffer within every cap but beyond the machine's memory (here a limit of
  /// 1 GiB stands in for a small laptop) are refused with the estimate, before allocating.
  @Test func runsThatWouldNotFitInMemoryAreRefusedWithTheEstimate() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
    let agent = outputs.appendingPathComponent("wide.yaml")
    try "hidden_sizes: [8192, 8192, 8192]\n".write(to: agent, atomically: true, encoding: .utf8)
    let arguments = ["rl", "cartpole", "--agent", agent.path, "--output-dir", outputs.path]
    let refused = try BinaryRunner.run(arguments, environment: ["PLAYGROUND_MEMORY_LIMIT": "1G"])
    #expect(refused.status == 1)
    #expect(
      refused.standardError
        == "error: this DQN's networks, optimizer and replay buffer would need about 2.5 GiB, more than the 0.8 GiB a run may use here (80% of 1.0 GiB): lower hidden_sizes or buffer_size\n"
    )
    #expect(
      !FileManager.default.fileExists(atPath: outputs.appendingPathComponent("rl-cartpole").path))
    // The default network fits the same limit.
    let fits = try BinaryRunner.run(
      ["rl", "cartpole", "--steps", "600", "--output-dir", outputs.path, "--quiet"],
      environment: ["PLAYGROUND_MEMORY_LIMIT": "1G"])
    #expect(fits.status == 0, "\(fits.standardError)")
  }

  /// Every kind that trains a network checks its estimate: a classifier and a GAN whose batches
  /// would not fit are refused before allocating, with what to lower.
  @Test(arguments: [
    (
      "classify", "model: cnn\nbatch_size: 65536\n",
      "this cnn with batches of 65536 would need about"
    ),
    ("classify", "model: lstm\nhidden_units: 4096\n", "lower batch_size or hidden_units"),
    (
      "gan", "model: tfdcgan\nbatch_size: 4096\n",
      "this tfdcgan GAN with batches of 4096 would need about"
    ),
  ])
  func networksThatWouldNotFitAreRefused(_ command: String, _ settings: String, _ expected: String)
    throws
  {
    let box = try ClassifyCommandTests.Sandbox()
    let config = box.root.appendingPathComponent("big.yaml")
    try settings.write(to: config, atomically: true, encoding: .utf8)
    let outcome = try BinaryRunner.run(
      [
        command, "mnist", "--config", config.path, "--data-dir", box.data.path, "--output-dir",
        box.outputs.path,
      ],
      environment: box.environment.merging(["PLAYGROUND_MEMORY_LIMIT": "1G"]) { $1 })
    #expect(outcome.status == 1)
    #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    #expect(outcome.standardError.contains("a run may use here (80% of 1.0 GiB)"))
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }

  /// SIGTERM (a time limit, `timeout`) ends a run like Ctrl-C: removed, exit 128 + 15.
  @Test func sigtermRemovesAnUnfinishedRun() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let (process, _) = try BinaryRunner.start([
      "rl", "gridworld", "--episodes", "100000000", "--output-dir", outputs.path, "--quiet",
    ])
    let scenario = outputs.appendingPathComponent("rl-gridworld")
    #expect(waitUntil { !runsInProgress(scenario).isEmpty })
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGTERM)
    let left = (try? FileManager.default.contentsOfDirectory(atPath: scenario.path)) ?? []
    #expect(left.isEmpty, "\(left)")
  }

  /// Intent never silently ignored: a missing data folder, a benchmark filter that matches
  /// nothing, OpenBLAS that cannot be opened.
  @Test(arguments: [
    (["classify", "mnist", "--data-dir", "/nonexistent/data"], [:], "is not a readable folder"),
    (["bench", "core", "--only", "nonsense"], [:], "no workload's name contains it"),
    (
      ["classify", "mnist"], ["PLAYGROUND_BLAS_LIBRARY": "/nonexistent/libblas.so"],
      "OpenBLAS was not found"
    ),
  ])
  func intentIsNeverSilentlyIgnored(
    _ arguments: [String], _ environment: [String: String], _ expected: String
  ) throws {
    try Self.expectOneLine(arguments, expected, environment: environment)
  }

  /// A sweep too large to run, and `--set` on a swept setting, are refused before anything runs.
  @Test func oversizedSweepsAndSetOnASweptKeyAreRefused() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
    let values = (1...101).map { String(Double($0) / 200) }.joined(separator: ", ")
    let file = outputs.appendingPathComponent("huge.yaml")
    try """
    kind: rl
    environment: frozenlake4x4
    sweep:
      learning_rate: [\(values)]
      epsilon_end: [\(values)]
    """.write(to: file, atomically: true, encoding: .utf8)
    let huge = try BinaryRunner.run(["run", file.path, "--output-dir", outputs.path])
    #expect(huge.status != 0)
    #expect(huge.standardError.contains("expands to 10201 runs"), "\(huge.standardError)")
    let set = try BinaryRunner.run([
      "run", file.path, "--set", "learning_rate=0.5", "--output-dir", outputs.path,
    ])
    #expect(set.status != 0)
    #expect(
      set.standardError.contains("the scenario sweeps or searches learning_rate"),
      "\(set.standardError)")
    #expect((try? FileManager.default.contentsOfDirectory(atPath: outputs.path)) == ["huge.yaml"])
  }

  /// A second run of a sweep already running is refused, naming the first's pid; when the first
  /// is killed outright (SIGKILL), its runs stop too instead of finishing unrecorded.
  @Test func oneSweepAtATimeAndNoOrphans() throws {
    let outputs = Self.outputs()
    defer { try? FileManager.default.removeItem(at: outputs) }
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scenarios/cartpole-seeds.yaml")
    let arguments = [
      "run", file.path, "--jobs", "2", "--set", "total_steps=5000000", "--set",
      "evaluation_interval=1000000", "--output-dir", outputs.path,
    ]
    let (first, _) = try BinaryRunner.start(arguments)
    let scenario = outputs.appendingPathComponent("cartpole-seeds")
    #expect(waitUntil { runsInProgress(scenario).count == 2 })
    let second = try BinaryRunner.run(arguments)
    #expect(second.status != 0)
    #expect(
      second.standardError.contains("another playground (pid \(first.processIdentifier))"),
      "\(second.standardError)")
    kill(first.processIdentifier, SIGKILL)
    first.waitUntilExit()
    #expect(waitUntil(timeout: 20) { runsInProgress(scenario).isEmpty })
  }

  /// A full disk (a 40 KiB tmpfs, where this machine lets root mount one) and a read-only output
  /// folder are one line each; nothing is left behind.
  @Test func aFullOrReadOnlyDiskIsOneLine() throws {
    let mountPoint = Self.outputs()
    try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: mountPoint) }
    let sh = Shell.status
    guard sh("mount -t tmpfs -o size=40k tmpfs '\(mountPoint.path)'") == 0 else { return }
    defer { _ = sh("umount '\(mountPoint.path)'") }
    let full = try BinaryRunner.run([
      "rl", "gridworld", "--episodes", "2000", "--output-dir", mountPoint.path, "--quiet",
    ])
    #expect(full.status != 0)
    #expect(full.standardError.contains("the disk is full"), "\(full.standardError)")
    let left = try FileManager.default.contentsOfDirectory(
      atPath: mountPoint.appendingPathComponent("rl-gridworld").path)
    #expect(left.isEmpty, "\(left)")
    #expect(sh("mount -o remount,ro '\(mountPoint.path)'") == 0)
    let readOnly = try BinaryRunner.run([
      "rl", "gridworld", "--output-dir", mountPoint.appendingPathComponent("more").path,
    ])
    #expect(readOnly.status != 0)
    #expect(readOnly.standardError.contains("writable"), "\(readOnly.standardError)")
  }

  /// `gan sample --output` writes through a symbolic link to its target and refuses a FIFO or a
  /// device instead of replacing it with a regular file.
  @Test func outputsAreNeverReplacedByAnotherKindOfFile() throws {
    let folder = Self.outputs()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe")
    #expect(mkfifo(fifo.path, 0o644) == 0)
    for output in [fifo.path, "/dev/null"] {
      let outcome = try BinaryRunner.run([
        "gan", "sample", "--checkpoint", "/nonexistent.safetensors", "--output", output,
      ])
      #expect(outcome.status != 0)
      #expect(outcome.standardError.contains("is not a regular file"), "\(outcome.standardError)")
    }
    var status = stat()
    #expect(lstat(fifo.path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)
    #expect(lstat("/dev/null", &status) == 0 && (status.st_mode & S_IFMT) == S_IFCHR)
  }
}
