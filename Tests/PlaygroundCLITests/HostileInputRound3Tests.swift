import Foundation
import PlaygroundCore
import TestSupport
import Testing

/// The third round of hostile input: each pattern with values other than those the battery
/// found — settings finite but outside the range in which their arithmetic stays finite, tables
/// larger than the machine, checkpoint metadata that lies, outputs over inputs, settings that
/// multiply time. Each is one line (or the scenario's list of problems), a non-zero exit, and no
/// run folder.
@Suite(.onOneBackend) struct HostileInputRound3Tests {
  /// A file under a fresh folder, removed with it.
  final class Files {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("round3-\(UUID())")
    init() throws {
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) throws -> String {
      let url = root.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
    deinit { try? FileManager.default.removeItem(at: root) }
  }

  static let physics = """
    gravity: 9.8
    cart_mass: 1.0
    pole_mass: 0.1
    half_length: 0.5
    force_magnitude: 10.0
    tau: 0.02
    x_threshold: 2.4
    theta_threshold_degrees: 12.0
    initial_range: 0.05
    step_limit: 500
    """

  @Test(arguments: [
    ("tau", "1.0e+30", "tau must be from 1e-6 to 1"),
    ("tau", "5.0e-9", "tau must be from 1e-6 to 1"),
    ("half_length", "1.0e+200", "half_length must be from 1e-6 to 1e6"),
    ("x_threshold", "1.0e-320", "x_threshold must be from 1e-6 to 1e6"),
    ("cart_mass", "1.0e+9", "cart_mass must be from 1e-6 to 1e6"),
    ("gravity", "-1.0e+12", "gravity must be within ±1e6"),
    ("theta_threshold_degrees", "720", "theta_threshold_degrees must be from 1e-6 to 360"),
  ])
  func cartPolePhysicsOutsideTheirFiniteRangeAreOneLine(
    _ key: String, _ value: String, _ expected: String
  ) throws {
    let files = try Files()
    let text = Self.physics.split(separator: "\n").map {
      $0.hasPrefix("\(key):") ? "\(key): \(value)" : String($0)
    }.joined(separator: "\n")
    let path = try files.write("physics.yaml", text + "\n")
    try HostileInputTests.expectOneLine(["rl", "cartpole", "--environment", path], expected)
    try HostileInputTests.expectOneLine(
      ["rl", "cartpole", "--agent", "q-learning", "--environment", path], expected)
  }

  @Test(arguments: [
    ("step_reward", "-3.0e+307"), ("goal_reward", "9.0e+15"), ("hole_reward", "-2.5e+6"),
  ])
  func gridRewardsOutsideTheirFiniteRangeAreOneLine(_ key: String, _ value: String) throws {
    let files = try Files()
    let path = try files.write(
      "world.yaml", "name: world\nmap: \"SFH\\nFFG\"\nstep_limit: 50\n\(key): \(value)\n")
    try HostileInputTests.expectOneLine(
      ["rl", "gridworld", "--map", path], "\(key) must be within ±1e6")
  }

  /// Bins whose product passes the table's limit, or a table the machine cannot hold, and
  /// bounds that are not ordinary numbers.
  @Test(arguments: [
    ("[100000, 100000, 1000, 1]", "[-1, -1, -1, -1]", "more than 4294967296 table states"),
    ("[60000, 60000, 1, 1]", "[-1, -1, -1, -1]", "the Q-table of 3600000000 states would need"),
    ("[1, 1, 6, 12]", "[-1, -.inf, -1, -1]", "low and high must be numbers within ±1e12"),
    ("[1, 1, 6, 12]", "[-1, -1e300, -1, -1]", "low and high must be numbers within ±1e12"),
  ])
  func discretisationsBeyondTheMachineAreOneLine(
    _ bins: String, _ low: String, _ expected: String
  ) throws {
    let files = try Files()
    let path = try files.write(
      "agent.yaml",
      "agent:\n  algorithm: q-learning\n  episodes: 10\ndiscretization:\n  bins: \(bins)\n  low: \(low)\n  high: [1, 1, 1, 1]\n"
    )
    try HostileInputTests.expectOneLine(["rl", "cartpole", "--agent", path], expected)
  }

  /// A map within the 1 MiB a map file may have whose tables need more than the memory.
  @Test func aMapLargerThanTheMachineIsOneLine() throws {
    let files = try Files()
    // 1000 × 1000 cells: about a gigabyte of tables, against a limit of 512 MiB.
    let row = "S" + String(repeating: "F", count: 998) + "G"
    let filler = String(repeating: "F", count: 1000) + "\n"
    let path = try files.write("big.txt", row + "\n" + String(repeating: filler, count: 999))
    try HostileInputTests.expectOneLine(
      ["rl", "gridworld", "--map", path], "the tables of a 1000×1000 map would need",
      environment: ["PLAYGROUND_MEMORY_LIMIT": "512M"])
  }

  /// A generator whose metadata gives a side no network has, a text model whose vocabulary
  /// repeats a character: refused from the metadata, before anything is sized by it.
  @Test(arguments: ["3", "-8", "1000000", "9223372036854775807", "twenty"])
  func aGeneratorsSideIsCheckedBeforeUse(_ side: String) throws {
    let files = try Files()
    let url = files.root.appendingPathComponent("generator.safetensors")
    try SafeTensors.write(
      SafeTensors.Contents(
        tensors: [("w", Tensor([1, 2]))],
        metadata: ["format": "playground gan", "config": "model: mlp\n", "side": side]),
      to: url)
    try HostileInputTests.expectOneLine(
      ["gan", "sample", "--checkpoint", url.path, "--output", files.root.path + "/s.png"],
      "its metadata gives the image side as \(side)")
  }

  @Test(arguments: ["aba", "xyzz", "\u{e9}e\u{301}\u{e9}"])
  func aVocabularyThatRepeatsACharacterIsRefused(_ vocabulary: String) throws {
    let files = try Files()
    let url = files.root.appendingPathComponent("text.safetensors")
    try SafeTensors.write(
      SafeTensors.Contents(
        tensors: [("w", Tensor([1]))],
        metadata: [
          "format": "playground text", "config": "model: bigram\n", "vocabulary": vocabulary,
        ]),
      to: url)
    try HostileInputTests.expectOneLine(
      ["text", "sample", "--checkpoint", url.path], "vocabulary names a character twice")
  }

  /// An output named as the file the command reads, or over a run's own files, is refused
  /// before anything is written; the input stays as it was.
  @Test func anOutputIsNeverAnInput() throws {
    let files = try Files()
    let checkpoint = try files.write("g.safetensors", "not read: refused before")
    try HostileInputTests.expectOneLine(
      ["gan", "sample", "--checkpoint", checkpoint, "--output", checkpoint],
      "is the file this command reads")
    #expect(try String(contentsOfFile: checkpoint, encoding: .utf8) == "not read: refused before")

    let box = try ClassifyCommandTests.Sandbox()
    #expect(try box.classify(["--epochs", "1", "--train-limit", "100"]).status == 0)
    let run = try #require(box.runFolders().first)
    let model = run.appendingPathComponent("model.safetensors")
    let before = try Data(contentsOf: model)
    for (command, name) in [("explain", "model.safetensors"), ("export", "config.yaml")] {
      let outcome = try BinaryRunner.run(
        [
          command, run.path, "--output", run.appendingPathComponent(name).path, "--data-dir",
          box.data.path,
        ], environment: box.environment)
      #expect(outcome.status != 0)
      #expect(
        outcome.standardError.contains("would replace the run's own \(name)"),
        "\(outcome.standardError)")
    }
    #expect(try Data(contentsOf: model) == before)
  }

  /// Settings that multiply time are capped, on the command line as in files.
  @Test func settingsThatMultiplyTimeAreCapped() throws {
    let files = try Files()
    let big = try files.write(
      "agent.yaml", "algorithm: q-learning\nepisodes: 100\nevaluation_episodes: 40000000\n")
    try HostileInputTests.expectOneLine(
      ["rl", "gridworld", "--agent", big], "evaluation_episodes must be at most 10^7")
    try HostileInputTests.expectOneLine(
      ["tune", "scenarios/tune-frozenlake.yaml", "--trials", "50000"],
      "--trials must be from 1 to 10000")
    try HostileInputTests.expectOneLine(
      ["text", "sample", "--checkpoint", big, "--prefix", String(repeating: "ab", count: 60)],
      "--prefix must be at most 100 characters")
    for (search, expected) in [
      ("{int: [1, 18014398509481984], log: true}", "int bounds must be within ±2^53"),
      ("{uniform: [-1.0e+308, 1.0e+308]}", "the range is too wide"),
    ] {
      let study = try files.write(
        "study.yaml",
        "kind: rl\nenvironment: frozenlake4x4\nagent: q-learning\nsearch:\n  learning_rate: \(search)\nobjective: {metric: greedy_success_rate}\ntrials: 2\n"
      )
      let outcome = try BinaryRunner.run(
        ["tune", study, "--output-dir", files.root.appendingPathComponent("o").path])
      #expect(outcome.status != 0)
      #expect(outcome.standardError.contains(expected), "\(outcome.standardError)")
    }
  }

  /// A sweep whose process was killed after some runs finished, but before it recorded them:
  /// run again, it takes the finished runs from their tasks' reports instead of redoing them.
  @Test func aKilledSweepsFinishedRunsAreNotRedone() throws {
    let files = try Files()
    let scenario = try files.write(
      "pair.yaml",
      "kind: rl\nenvironment: frozenlake4x4\nagent: q-learning\nbudget: {episodes: 100}\nseeds: [0, 1, 2]\n"
    )
    let outputs = files.root.appendingPathComponent("o")
    let first = try BinaryRunner.run(["run", scenario, "--output-dir", outputs.path, "--quiet"])
    #expect(first.status == 0, "\(first.standardError)")
    let folder = outputs.appendingPathComponent("pair")
    func runs() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0.contains("seed")
      }.sorted()
    }
    let before = try runs()
    #expect(before.count == 3)
    // What a SIGKILL of the sweep leaves: the tasks' reports, but no state of them.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("sweep/state.json"))
    let again = try BinaryRunner.run(["run", scenario, "--output-dir", outputs.path])
    #expect(again.status == 0, "\(again.standardError)")
    #expect(
      again.standardOutput.contains("3 done before")
        || again.standardOutput.contains("finished before"),
      "\(again.standardOutput)")
    #expect(try runs() == before)
  }

  /// A sweep interrupted while runs wait is not done, even when the runs in progress finish:
  /// exit 130, saying how many did not start (it ended 0, as if complete, before).
  @Test func anInterruptedSweepWithRunsWaitingIsNotDone() throws {
    let files = try Files()
    let scenario = try files.write(
      "slow.yaml",
      "kind: rl\nenvironment: frozenlake8x8\nagent: q-learning\nbudget: {episodes: 150000}\nseeds: [0, 1, 2]\n"
    )
    let process = Process()
    process.executableURL = BinaryRunner.binary
    process.arguments = [
      "run", scenario, "--jobs", "1", "--output-dir", files.root.appendingPathComponent("o").path,
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    Thread.sleep(forTimeInterval: 0.5)
    process.interrupt()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130, "\(text)")
    #expect(text.contains("not started") || text.contains("interrupted"), "\(text)")
    #expect(text.contains("sweep interrupted: run the same command again"), "\(text)")
  }

  /// A Slurm job whose tasks leave the queue without running is a failure to run again — not
  /// an interruption — unless Slurm says they were cancelled. Slurm's commands are stand-ins
  /// on PATH: sbatch gives a job id, squeue no longer knows it, scontrol says what became of
  /// the tasks (or is not there).
  @Test(
    arguments: [
      (nil, 1, "left the queue without starting (no trace of it left in Slurm)"),
      ("NODE_FAIL", 1, "left the queue without starting (state NODE_FAIL)"),
      ("CANCELLED", 130, "2 interrupted"),
    ] as [(String?, Int32, String)])
  func aSlurmJobThatVanishesIsReportedAsWhatItIs(
    _ state: String?, _ status: Int32, _ expected: String
  ) throws {
    let files = try Files()
    let bin = files.root.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    var commands = [
      "sbatch": "echo 4242",
      "squeue": "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1",
    ]
    if let state {
      commands["scontrol"] =
        "for t in 0 1; do echo \"JobId=$((4243 + t)) ArrayJobId=4242 ArrayTaskId=$t JobState=\(state) Reason=None\"; done"
    }
    for (name, body) in commands {
      let url = bin.appendingPathComponent(name)
      try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
      chmod(url.path, 0o755)
    }
    let scenario = try files.write(
      "grid.yaml",
      "kind: rl\nenvironment: frozenlake4x4\nagent: q-learning\nbudget: {episodes: 20}\nseeds: [0, 1]\n"
    )
    let outcome = try BinaryRunner.run(
      [
        "run", scenario, "--executor", "slurm", "--output-dir",
        files.root.appendingPathComponent("o").path,
      ],
      environment: ["PATH": bin.path])
    let text = outcome.standardOutput + outcome.standardError
    #expect(outcome.status == status, "\(text)")
    #expect(text.contains(expected), "\(text)")
  }

  /// What a data set or a corpus sizes is checked against the memory before it is held: an IDX
  /// file declaring more than a fifth of a run's memory is refused from its header, a corpus
  /// whose distinct characters make the bigram floor's table too large before it is built.
  @Test func dataLargerThanTheMemoryIsRefusedFromItsHeader() throws {
    let box = try ClassifyCommandTests.Sandbox()
    let limit = ["PLAYGROUND_MEMORY_LIMIT": "1M"]
    let data = try BinaryRunner.run(
      ["classify", "mnist", "--data-dir", box.data.path, "--output-dir", box.outputs.path],
      environment: box.environment.merging(limit) { $1 })
    #expect(data.status == 1)
    #expect(
      data.standardError.contains(
        "the IDX header declares 235200 bytes, more than the 163.8 KiB a run may hold here"),
      "\(data.standardError)")
    let files = try Files()
    let characters = (0..<3000).map { Character(UnicodeScalar(0x4E00 + $0)!) }
    let corpus = try files.write(
      "wide.txt",
      stride(from: 0, to: characters.count, by: 3).map { String(characters[$0..<$0 + 3]) }
        .joined(separator: "\n") + "\n")
    let text = try BinaryRunner.run(
      ["text", "names", "--data", corpus, "--output-dir", box.outputs.path],
      environment: ["PLAYGROUND_MEMORY_LIMIT": "64M"])
    #expect(text.status == 1)
    #expect(
      text.standardError.contains(
        "the bigram floor of 3000 distinct characters would need about 0.1 GiB"),
      "\(text.standardError)")
    #expect(!FileManager.default.fileExists(atPath: box.outputs.path))
  }
}
