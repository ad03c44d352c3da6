import Foundation
import TestSupport
import Testing

/// `playground run --executor slurm`: against a one-node Slurm that `scripts/slurm-local`
/// starts for the test and stops by its pids, and without one.
@Suite(.onOneBackend, .serialized) struct SlurmExecutorTests {
  static let root = ScenarioCommandTests.root

  /// A one-node Slurm of its own (folder and ports apart from any other), for one test.
  struct LocalSlurm {
    static let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("playground-slurm-tests")
    var configuration: URL { Self.folder.appendingPathComponent("slurm.conf") }
    var environment: [String: String] { ["SLURM_CONF": configuration.path] }

    /// Root and Debian's slurm-wlm and munge (`scripts/setup` installs them when it can).
    static var isAvailable: Bool {
      getuid() == 0
        && ["/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch"]
          .allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func start() throws -> LocalSlurm {
      let outcome = try script("start")
      guard outcome.status == 0 else {
        throw SlurmTestError("scripts/slurm-local start failed: \(outcome.output)")
      }
      return LocalSlurm()
    }

    func stop() { _ = try? Self.script("stop") }

    static func script(_ command: String) throws -> (status: Int32, output: String) {
      try spawn(
        root.appendingPathComponent("scripts/slurm-local").path, [command],
        environment: [
          "PLAYGROUND_SLURM_DIR": folder.path, "PLAYGROUND_SLURMCTLD_PORT": "6917",
          "PLAYGROUND_SLURMD_PORT": "6918", "PLAYGROUND_SLURM_KILLWAIT": "30",
        ])
    }

    /// Runs a Slurm command (scancel, squeue) against this cluster; its output.
    func command(_ name: String, _ arguments: [String]) throws -> String {
      try Self.spawn("/usr/bin/\(name)", arguments, environment: environment).output
    }

    /// Runs `path` to its end with its output in a file, waited for with `waitpid` (Foundation's
    /// `Process` can miss the end of a child that started daemons).
    static func spawn(_ path: String, _ arguments: [String], environment: [String: String])
      throws -> (status: Int32, output: String)
    {
      let log = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-\(UUID())")
      defer { try? FileManager.default.removeItem(at: log) }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
      let argv = ([path] + arguments).map { strdup($0) } + [nil]
      let environ = BinaryRunner.merged(environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer { (argv + environ).forEach { free($0) } }
      var pid: pid_t = 0
      let error = posix_spawn(&pid, path, &actions, nil, argv, environ)
      guard error == 0 else {
        throw SlurmTestError("cannot start \(path): \(String(cString: strerror(error)))")
      }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0, errno == EINTR {}
      let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      // Exited normally: the exit code; otherwise 128 + the signal.
      let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
      return (code, output)
    }
  }

  struct SlurmTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// Each file of each run folder but its summary and report (which hold times), by the hash of
  /// the run's config.yaml: what a sweep computed, whichever executor ran it.
  static func fingerprints(_ scenario: URL) throws -> [String: Data] {
    var prints: [String: Data] = [:]
    let fileManager = FileManager.default
    for name in try fileManager.contentsOfDirectory(atPath: scenario.path)
    where name.contains("seed") {
      let folder = scenario.appendingPathComponent(name)
      let config = try Data(contentsOf: folder.appendingPathComponent("config.yaml"))
      let key = String(decoding: config, as: UTF8.self)
      for case let file as String in fileManager.enumerator(atPath: folder.path)! {
        let url = folder.appendingPathComponent(file)
        var isFolder: ObjCBool = false
        _ = fileManager.fileExists(atPath: url.path, isDirectory: &isFolder)
        // The summary and report hold times; an event file's name and events too.
        guard !isFolder.boolValue, !["summary.json", "report.html"].contains(file),
          !file.hasPrefix("events.out.tfevents.")
        else { continue }
        prints["\(key)/\(file)"] = try Data(contentsOf: url)
      }
    }
    return prints
  }

  /// Its runs' thread count is a setting, so that the Slurm tasks' `--cpus-per-task 1` and the
  /// local sweep's default (the kind's CPUs) give the same runs. 10 epochs (about 0.4 s each):
  /// task 0 is still training when the test cancels it after its first.
  static let ganSweep = """
    description: two GAN step sizes × two seeds
    kind: gan
    agent: gan
    overrides: {quality_every: 0, epochs: 10, keep_best: false, minutes: 0, batch_size: 32, threads: 1}
    sweep:
      learning_rate: [0.0002, 0.0004]
    seeds: [0, 1]
    """

  /// The CI check of the executor: a 4-run sweep with GANs through Slurm equals, file for file,
  /// the same sweep run here; a task cancelled with scancel is reported and, on the next
  /// invocation, resumed from its saved state to the same bytes; Ctrl-C while following
  /// detaches; a failing task is reported with its log and the command that re-runs it.
  @Test(.enabled(if: LocalSlurm.isAvailable, "needs root and slurm-wlm + munge (scripts/setup)"))
  func aSweepOnSlurmEqualsTheLocalOneAndACancelledRunIsResumed() throws {
    let slurm = try LocalSlurm.start()
    defer { slurm.stop() }
    let box = try ClassifyCommandTests.Sandbox()
    let file = box.root.appendingPathComponent("gans.yaml")
    try Self.ganSweep.write(to: file, atomically: true, encoding: .utf8)
    let environment = box.environment.merging(slurm.environment) { $1 }
      .merging(["PLAYGROUND_SLURM_POLL": "0.3"]) { $1 }
    func run(_ outputs: String, _ extra: [String]) throws -> BinaryRunner.Outcome {
      try BinaryRunner.run(
        [
          "run", file.path, "--data-dir", box.data.path, "--output-dir",
          box.root.appendingPathComponent(outputs).path,
        ] + extra,
        environment: environment)
    }

    let local = try run("local", ["--jobs", "2"])
    #expect(local.status == 0, "\(local.standardError)")

    // Submitted and left: one line with the job id.
    let submitted = try run("slurm", ["--executor", "slurm", "--cpus-per-task", "1", "--detach"])
    #expect(submitted.status == 0, "\(submitted.standardError)")
    let job = try #require(
      submitted.standardOutput.split(separator: "\n").first {
        $0.hasPrefix("submitted Slurm job ")
      }?
      .dropFirst("submitted Slurm job ".count).prefix { $0.isNumber })
    let scenario = box.root.appendingPathComponent("slurm/gans")
    let script = try String(
      contentsOf: scenario.appendingPathComponent("sweep/slurm.sh"), encoding: .utf8)
    #expect(script.contains("#SBATCH --array=0-3\n"), "\(script)")

    // Ctrl-C while following detaches and says how to cancel.
    let (follower, errors) = try BinaryRunner.start(
      [
        "run", file.path, "--data-dir", box.data.path, "--output-dir",
        box.root.appendingPathComponent("slurm").path, "--executor", "slurm",
      ],
      environment: environment)
    // Task 0 (seed 0) is training: it has drawn its first epoch.
    #expect(
      waitUntil(timeout: 120) {
        runsInProgress(scenario).contains {
          $0.lastPathComponent.hasSuffix("seed0.partial")
            && FileManager.default.fileExists(
              atPath: $0.appendingPathComponent("samples/epoch-001.png").path)
        }
      })
    // Cancelled mid-run: Slurm's SIGTERM makes the GAN save its state.
    _ = try slurm.command("scancel", ["\(job)_0"])
    kill(follower.processIdentifier, SIGINT)
    let detached = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    follower.waitUntilExit()
    #expect(follower.terminationStatus == 130)
    #expect(
      detached.contains("detached from Slurm job \(job)") && detached.contains("scancel \(job)"),
      "\(detached)")
    let collected = try run("slurm", ["--executor", "slurm"])
    // A failure shows the tasks' logs: the sandbox, and the logs with it, are gone afterwards.
    #expect(
      collected.status == 130,
      "\(collected.standardOutput)\(collected.standardError)\(Self.logs(of: scenario))")
    #expect(
      collected.standardOutput.contains("3 finished, 0 done before, 0 failed, 1 interrupted"),
      "\(collected.standardOutput)")
    #expect(collected.standardError.contains("sweep interrupted: run the same command again"))

    // Run again: only the cancelled run is submitted, and it continues its own folder.
    let state = try String(
      contentsOf: scenario.appendingPathComponent("sweep/state.json"), encoding: .utf8)
    let again = try run("slurm", ["--executor", "slurm", "--cpus-per-task", "1"])
    #expect(again.status == 0, "\(again.standardError)")
    #expect(again.standardOutput.contains("1 run (3 finished before)"), "\(again.standardOutput)")
    let rows = try ScenarioCommandTests.csvRows(scenario.appendingPathComponent("sweep/sweep.csv"))
    #expect(rows.map { $0[3] } == ["finished", "finished", "finished", "finished"], "\(rows)")
    #expect(state.contains("\"run\" : \"\(rows[0][4])\""), "resumed, not restarted: \(state)")

    // The same bytes as the local sweep, resumed run included.
    let here = try Self.fingerprints(box.root.appendingPathComponent("local/gans"))
    let there = try Self.fingerprints(scenario)
    #expect(here.count == there.count && here.count > 40)
    #expect(here.keys.filter { here[$0] != there[$0] }.sorted() == [])
    #expect(
      try Data(contentsOf: box.root.appendingPathComponent("local/gans/sweep/sweep.png"))
        == Data(contentsOf: scenario.appendingPathComponent("sweep/sweep.png")))

    // A task that fails: its message, its log and the command that re-runs it.
    let corpus = box.root.appendingPathComponent("names.txt")
    try "smith\njones\nbrown\nwilson\n".write(to: corpus, atomically: true, encoding: .utf8)
    let failing = box.root.appendingPathComponent("texts.yaml")
    try """
    description: one corpus that is missing
    kind: text
    overrides: {epochs: 1, minutes: 0, batch_size: 4}
    sweep:
      data: [\(corpus.path), \(box.root.path)/missing.txt]
    """.write(to: failing, atomically: true, encoding: .utf8)
    let failed = try BinaryRunner.run(
      ["run", failing.path, "--executor", "slurm", "--output-dir", box.outputs.path],
      environment: environment)
    #expect(failed.status == 1)
    #expect(failed.standardError.contains("1 of 2 runs failed; job 1"), "\(failed.standardError)")
    #expect(failed.standardError.contains("missing.txt: no such file"))
    #expect(failed.standardError.contains("texts/sweep/logs/job-001.log"))
    #expect(
      failed.standardError.contains("re-run it alone with: playground run \(failing.path) --job 1"))
    #expect(try slurm.command("squeue", ["--noheader"]).isEmpty)
  }

  /// A study through Slurm (one job per trial, one at a time) gives the trial table the local
  /// executor gives, trial for trial.
  @Test(.enabled(if: LocalSlurm.isAvailable, "needs root and slurm-wlm + munge (scripts/setup)"))
  func aStudyOnSlurmGivesTheLocalTrialTable() throws {
    let slurm = try LocalSlurm.start()
    defer { slurm.stop() }
    let box = try ClassifyCommandTests.Sandbox()
    let file = try TuneCommandTests.write(TuneCommandTests.frozenLake(), in: box)
    let environment = box.environment.merging(slurm.environment) { $1 }
      .merging(["PLAYGROUND_SLURM_POLL": "0.3"]) { $1 }
    let local = try TuneCommandTests.tune(file, box)
    #expect(local.status == 0, "\(local.standardError)")
    let table = try TuneCommandTests.trials(box)
    let there = box.root.appendingPathComponent("slurm")
    let onSlurm = try BinaryRunner.run(
      [
        "tune", file.path, "--output-dir", there.path, "--executor", "slurm", "--max-concurrent",
        "1",
      ],
      environment: environment)
    #expect(onSlurm.status == 0, "\(onSlurm.standardError)")
    #expect(onSlurm.standardOutput.contains("1 at a time on Slurm"), "\(onSlurm.standardOutput)")
    let rows = try ScenarioCommandTests.csvRows(
      there.appendingPathComponent("lake/tune/trials.csv"))
    #expect(rows.map { Array($0.dropLast()) } == table)
    let script = try String(
      contentsOf: there.appendingPathComponent("lake/tune/slurm/trial-005.sh"), encoding: .utf8)
    #expect(
      script.contains("#SBATCH --array=5\n") && script.contains("--trial \"$SLURM_ARRAY_TASK_ID\""),
      "\(script)")
    #expect(
      FileManager.default.fileExists(
        atPath: there.appendingPathComponent("lake/tune/logs/trial-005.log").path))
    #expect(try slurm.command("squeue", ["--noheader"]).isEmpty)
  }

  /// No Slurm here: one line naming the problem and the way out, nothing written.
  @Test func withoutSlurmTheCommandSaysSoAndWritesNothing() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = ScenarioCommandTests.scenarios.appendingPathComponent(
      "frozenlake-learning-rates.yaml")
    let outcome = try BinaryRunner.run(
      ["run", file.path, "--executor", "slurm", "--output-dir", box.outputs.path],
      environment: ["PATH": "/nonexistent"])
    #expect(outcome.status == 1)
    #expect(
      outcome.standardError
        == "error: sbatch not found: Slurm's commands are not on this machine's PATH — run on the cluster's login node, or use --executor local\n"
    )
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }

  /// `--print-script` needs no Slurm: it writes the script and prints it.
  @Test func printScriptWritesTheScriptAndSubmitsNothing() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = ScenarioCommandTests.scenarios.appendingPathComponent(
      "frozenlake-learning-rates.yaml")
    let outcome = try BinaryRunner.run(
      [
        "run", file.path, "--executor", "slurm", "--print-script", "--output-dir", box.outputs.path,
        "--partition", "cpu", "--time", "30", "--max-concurrent", "4", "--sbatch-arg", "--mem=1G",
        "--set", "episodes=100",
      ],
      environment: ["PATH": "/nonexistent"])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let script = try String(
      contentsOf: box.outputs.appendingPathComponent("frozenlake-learning-rates/sweep/slurm.sh"),
      encoding: .utf8)
    #expect(outcome.standardOutput.contains(script))
    for line in [
      "#SBATCH --array=0-8%4", "#SBATCH --partition=cpu", "#SBATCH --time=30", "#SBATCH --mem=1G",
      "#SBATCH --cpus-per-task=1",
    ] {
      #expect(script.contains(line + "\n"), "\(line)")
    }
    #expect(
      script.contains("--sweep-task --quiet --output-dir \(box.outputs.path) --set episodes=100"),
      "\(script)")
  }

  /// Options that do not fit the executor, and bad sbatch values, are refused before anything.
  @Test(arguments: [
    (["--partition", "cpu"], "--partition is for --executor slurm"),
    (["--executor", "slurm", "--jobs", "2"], "--jobs is for --executor local"),
    (["--executor", "slurm", "--time", "2h"], "--time '2h' is not a Slurm time"),
    (["--executor", "slurm", "--cpus-per-task", "0"], "--cpus-per-task must be at least 1"),
    (["--executor", "cluster"], "executor"),
  ])
  func mismatchedOptionsAreRefused(_ extra: [String], _ expected: String) throws {
    let box = try ClassifyCommandTests.Sandbox()
    let file = ScenarioCommandTests.scenarios.appendingPathComponent(
      "frozenlake-learning-rates.yaml")
    let outcome = try BinaryRunner.run(
      ["run", file.path, "--output-dir", box.outputs.path] + extra)
    #expect(outcome.status != 0)
    #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }

  /// The last 4,000 characters of each task log of the sweep in `scenario`.
  static func logs(of scenario: URL) -> String {
    let folder = scenario.appendingPathComponent("sweep/logs")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().map { name in
      let text =
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
      return "\n--- \(name) ---\n\(text.suffix(4_000))"
    }.joined()
  }
}
