import Foundation
import PlaygroundConfig
import PlaygroundKinds
import PlaygroundRuns
import TestSupport
import Testing

/// The registry: which kind each scenario's names give, and what every kind declares.
@Suite(.onOneBackend) struct RunKindsTests {
  static func file(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID()).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test func namesResolveToTheirKinds() throws {
    let cases: [(RunFamily, String?, String?, String)] = [
      (.classify, nil, nil, "classify"), (.classify, "fashion", "cnn", "classify"),
      (.rl, "cartpole", nil, "cartpole-dqn"),
      (.rl, "cartpole", "q-learning", "cartpole-q-learning"),
      (.rl, "frozenlake4x4", "sarsa", "gridworld"), (.rl, "cliffwalking", nil, "gridworld"),
      (.gan, "mnist", "tf-dcgan", "gan"),
    ]
    for (family, subject, agent, kind) in cases {
      let job = try RunKinds.job(family, subject: subject, agent: agent)
      #expect(type(of: job).kind == kind, "\(family) \(subject ?? "-") \(agent ?? "-")")
    }
  }

  /// Agent files are told apart by their shape, whatever their name.
  @Test func cartPoleAgentFilesAreToldApartByShape() throws {
    let tabular = try Self.file("agent:\n  episodes: 30\ndiscretization:\n  bins: [1, 1, 3, 3]\n")
    let dqn = try Self.file("total_steps: 1234\n")
    defer { for url in [tabular, dqn] { try? FileManager.default.removeItem(at: url) } }
    let a = try #require(
      try RunKinds.job(.rl, subject: "cartpole", agent: tabular.path) as? CartPoleQLearningRun)
    #expect(a.agent.episodes == 30 && a.discretization.bins == [1, 1, 3, 3])
    let b = try #require(
      try RunKinds.job(.rl, subject: "cartpole", agent: dqn.path) as? CartPoleRun)
    #expect(b.agent.totalSteps == 1234)
  }

  @Test func unknownNamesSayWhichNameIsWrong() {
    #expect { try RunKinds.job(.classify, subject: "cifar", agent: nil) } throws: {
      ($0 as? NameError)?.key == .subject && "\($0)".contains("unknown dataset 'cifar'")
    }
    #expect { try RunKinds.job(.rl, subject: "cartpole", agent: "ppo") } throws: {
      ($0 as? NameError)?.key == .agent && "\($0)".contains("use dqn, q-learning")
    }
    #expect { try RunKinds.job(.rl, subject: "nowhere.txt", agent: nil) } throws: {
      ($0 as? NameError)?.key == .subject
    }
  }

  /// Every kind's declarations fit together: its budget keys set its own settings, its names
  /// are unique, its settings read back from its own config.yaml.
  @Test func everyKindIsConsistent() throws {
    #expect(Set(RunKinds.all.map { $0.kind }).count == RunKinds.all.count)
    for kind in RunKinds.all {
      #expect(!kind.presentation.curves.isEmpty && !kind.presentation.headline.isEmpty)
      for setting in kind.budgetKeys.values {
        #expect(kind.settingKeys.contains(setting), "\(kind.kind): \(setting)")
      }
    }
    for family in RunFamily.allCases {
      let subject = family == .rl ? "cartpole" : nil
      let job = try RunKinds.job(family, subject: subject, agent: nil)
      let url = try Self.file(try job.configYAML())
      defer { try? FileManager.default.removeItem(at: url) }
      let reread = try type(of: job).init(configAt: url)
      #expect(try reread.configYAML() == job.configYAML(), "\(family)")
    }
  }

  /// Every name a scenario can give — each kind's presets on each subject of its family, and
  /// every shipped scenario — is claimed by exactly one kind: claims are explicit, not the
  /// order of `RunKinds.all`.
  @Test func everyNameIsClaimedByExactlyOneKind() throws {
    let subjects: [RunFamily: [String?]] = [
      .classify: [nil, "mnist", "fashion"], .gan: [nil, "mnist", "fashion"],
      .text: [nil, "names"], .rl: ["cartpole", "frozenlake8x8", "frozenlake4x4", "cliffwalking"],
      .flow: [nil, "mnist", "fashion"],
    ]
    for family in RunFamily.allCases {
      for subject in subjects[family] ?? [] {
        for agent in [nil] + RunKinds.agentNames(family) {
          let claimants = RunKinds.claimants(family, subject: subject, agent: agent)
          #expect(
            claimants.count <= 1,
            "\(family) \(subject ?? "-") \(agent ?? "-"): \(claimants.map { $0.kind })")
        }
      }
    }
    for kind in RunKinds.all {
      let subject = subjects[kind.family]?.first { subject in
        kind.presets.contains { preset in
          RunKinds.claimants(kind.family, subject: subject, agent: preset.name).first?.kind
            == kind.kind
        }
      }
      #expect(subject != nil, "no subject of \(kind.family) gives kind \(kind.kind)")
    }
    let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scenarios")
    for file in try FileManager.default.contentsOfDirectory(atPath: scenarios.path)
    where file.hasSuffix(".yaml") {
      let text = try String(
        contentsOf: scenarios.appendingPathComponent(file), encoding: .utf8)
      func value(_ key: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix("\(key): ") }
          .map { String($0.dropFirst(key.count + 2)).trimmingCharacters(in: .whitespaces) }
      }
      guard let family = value("kind").flatMap(RunFamily.init(rawValue:)) else { continue }
      let claimants = RunKinds.claimants(
        family, subject: value(family.subjectKey), agent: value("agent")
      ) { path in
        let url = scenarios.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
      }
      #expect(claimants.count == 1, "\(file): \(claimants.map { $0.kind })")
    }
  }

  /// A run folder names its kind in summary.json; one written before that is still read, its
  /// kind inferred from its config.yaml.
  @Test func aRunFolderIsReadByTheKindThatMadeIt() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let job = try RunKinds.job(.rl, subject: "cartpole", agent: "q-learning")
    try job.configYAML().write(
      to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
    #expect(type(of: try RunKinds.job(ofRun: folder)).kind == "cartpole-q-learning")
    try #"{"kind": "cartpole-q-learning", "status": "finished"}"#.write(
      to: folder.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
    #expect(type(of: try RunKinds.job(ofRun: folder)).kind == "cartpole-q-learning")
    try #"{"kind": "teleport"}"#.write(
      to: folder.appendingPathComponent("summary.json"), atomically: true, encoding: .utf8)
    #expect { try RunKinds.job(ofRun: folder) } throws: {
      "\($0)".contains("kind 'teleport', which this playground does not know")
    }
    #expect(RunKinds.kind(named: "gan")?.kind == "gan")
    #expect(RunKinds.kind(named: "no-such-kind") == nil)
  }
}
