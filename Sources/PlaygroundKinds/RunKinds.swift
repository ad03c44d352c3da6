import Foundation
import PlaygroundConfig
import PlaygroundRuns

/// The kinds of run there are. A new kind is a folder of its own beside Classify/, GridWorld/,
/// CartPole/, GAN/, Flow/ and Text/ with a type that conforms to ``NamedRunKind`` (and the capabilities
/// of `RunCapabilities.swift` it has), plus one line in ``builtIn`` — or, for a kind defined in
/// another module, one call of ``register(_:)`` before the commands start; `playground run`,
/// sweeps, studies, `playground list`, `inspect`, `report.html`, `export` and `explain` then
/// know it.
public enum RunKinds {
  /// The kinds this playground ships, in the order `playground list` shows them; which kind a
  /// scenario's names give does not depend on it (``NamedRunKind/claims(subject:agent:resolve:)``).
  public static let builtIn: [any NamedRunKind.Type] = [
    ClassifierRun.self,
    CartPoleRun.self,
    CartPoleQLearningRun.self,
    GridWorldRun.self,
    GANRun.self,
    FlowRun.self,
    TextRun.self,
  ]

  /// Every kind: the built-in ones, then those registered (``register(_:)``).
  public static var all: [any NamedRunKind.Type] { builtIn + registered.kinds }

  /// Adds a kind defined outside this module (a program that embeds the commands, a test) to
  /// ``all``, so that scenarios, sweeps, studies and every command know it. Call it before
  /// the commands run; a child process of a sweep must register it too (it runs the same
  /// program).
  /// - Throws: ``PlaygroundConfig/RunError`` when a kind of that name is already known.
  public static func register(_ kind: any NamedRunKind.Type) throws {
    try registered.add(kind)
  }

  private static let registered = Registered()

  /// The kinds added at run time, behind a lock.
  private final class Registered: @unchecked Sendable {
    private let lock = NSLock()
    private var added: [any NamedRunKind.Type] = []

    var kinds: [any NamedRunKind.Type] { lock.withLock { added } }

    func add(_ kind: any NamedRunKind.Type) throws {
      try lock.withLock {
        let known = RunKinds.builtIn + added
        guard !known.contains(where: { $0.kind == kind.kind }) else {
          throw RunError("a kind named '\(kind.kind)' is already registered")
        }
        if let sibling = known.first(where: { $0.family == kind.family }),
          sibling.family.subjectKey != kind.family.subjectKey
        {
          throw RunError(
            "kind \(kind.kind)'s family \(kind.family) names its subject '\(kind.family.subjectKey)', kind \(sibling.kind)'s '\(sibling.family.subjectKey)'"
          )
        }
        added.append(kind)
      }
    }
  }

  /// The job that a family's `subject` (data set or environment) and `agent` name: built by the
  /// one kind of the family that claims them (``NamedRunKind/claims(subject:agent:resolve:)``),
  /// whatever the order of ``all``. An agent named in other letter case is its preset.
  /// - Parameter resolve: finds a path as the caller means it (a scenario: beside the file).
  /// - Throws: ``NameError`` naming which of the two is wrong; ``PlaygroundConfig/RunError``
  ///   when two kinds claim the names (a bug of the kinds, which a test catches).
  public static func job(
    _ family: RunFamily, subject: String?, agent: String?,
    resolve: (String) -> URL? = RunKinds.existingFile
  ) throws -> any NamedRunKind {
    var agent = agent
    if let name = agent, resolve(name) == nil, agentNames(family).contains(name.lowercased()) {
      agent = name.lowercased()
    }
    let claimants = claimants(family, subject: subject, agent: agent, resolve: resolve)
    guard claimants.count <= 1 else {
      throw RunError(
        "kinds \(claimants.map { $0.kind }.joined(separator: " and ")) both claim \(family.subjectKey) '\(subject ?? "")' with agent '\(agent ?? "")'"
      )
    }
    if let kind = claimants.first,
      let job = try build(kind, subject: subject, agent: agent, resolve: resolve)
    {
      return job
    }
    throw NameError(
      .agent,
      "unknown agent '\(agent ?? "")': use \(agentNames(family).joined(separator: ", ")) or the path of a .yaml file"
    )
  }

  private static func build<Kind: NamedRunKind>(
    _ kind: Kind.Type, subject: String?, agent: String?, resolve: (String) -> URL?
  ) throws -> (any NamedRunKind)? {
    try Kind.job(subject: subject, agent: agent, resolve: resolve)
  }

  /// The kinds of `family` that claim `subject` and `agent`: one, unless the names are unknown.
  public static func claimants(
    _ family: RunFamily, subject: String?, agent: String?,
    resolve: (String) -> URL? = RunKinds.existingFile
  ) -> [any NamedRunKind.Type] {
    all.filter {
      $0.family == family && $0.claims(subject: subject, agent: agent, resolve: resolve)
    }
  }

  /// The data sets or environments a family's kinds know by name, each once.
  public static func subjectNames(_ family: RunFamily) -> [String] {
    var names: [String] = []
    for kind in all where kind.family == family {
      names += kind.subjectNames.filter { !names.contains($0) }
    }
    return names
  }

  /// The agent (or model) names of a family's kinds, each once.
  public static func agentNames(_ family: RunFamily) -> [String] {
    var names: [String] = []
    for kind in all where kind.family == family {
      names += kind.agentNames.filter { !names.contains($0) }
    }
    return names
  }

  /// Every kind's curve and headline keys (to read runs whose summary does not state theirs).
  public static var presentations: [RunPresentation] { all.map { $0.presentation } }

  /// `path` if a file or folder is there (from the working folder).
  public static func existingFile(_ path: String) -> URL? {
    FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
  }
}

/// A kind of run that a scenario's `kind:`, `dataset:`/`environment:` and `agent:` — or a
/// command's arguments — can name.
public protocol NamedRunKind: RunJob {
  static var family: RunFamily { get }
  /// What it is, for `playground list`, e.g. `rl (cartpole)`.
  static var label: String { get }
  /// The agent (or model) names it takes, each with what it is: its lines in `playground list`.
  static var presets: [RunPreset] { get }
  /// The data sets or environments it knows by name (besides paths), for messages.
  static var subjectNames: [String] { get }
  /// Whether `subject` and `agent` (names or paths, `nil` when not given) are this kind's to
  /// build — cheaply, from names and file shapes: exactly one kind of a family may claim them.
  /// A family's only kind claims everything by default.
  static func claims(subject: String?, agent: String?, resolve: (String) -> URL?) -> Bool
  /// The job that `subject` (a data set or an environment: a name or a path; `nil` when not
  /// given) and `agent` (a name or the path of a settings file) name, once this kind claimed
  /// them; `nil` when they name nothing.
  /// - Throws: ``NameError`` when a name is unknown or a file cannot be read.
  static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws -> Self?
  /// The smallest run of this kind that still trains, for the tests that run every kind and
  /// every shipped scenario: its names and `overrides:` (e.g. one epoch, a few steps). `scratch`
  /// is a folder for small data of its own (a text corpus).
  static func smokeTest(scratch: URL) throws -> SmokeTest
}

/// A tiny run of a kind (``NamedRunKind/smokeTest(scratch:)``).
public struct SmokeTest: Sendable {
  /// The data set or environment, and the agent, as a scenario names them.
  public var subject: String?
  public var agent: String?
  /// Settings that make the run tiny, as a scenario's `overrides:` or `--set` take them.
  public var overrides: [String: String]

  public init(subject: String?, agent: String?, overrides: [String: String]) {
    self.subject = subject
    self.agent = agent
    self.overrides = overrides
  }
}

extension NamedRunKind {
  public static func claims(subject: String?, agent: String?, resolve: (String) -> URL?) -> Bool {
    true
  }

  /// The agent (or model) names of its presets.
  public static var agentNames: [String] { presets.map(\.name) }

  public static var subjectNames: [String] { [] }
}

/// An agent or model name a kind takes (`agent: dqn`), with a line saying what it is.
public struct RunPreset: Sendable {
  public let name: String
  public let description: String

  public init(_ name: String, _ description: String) {
    self.name = name
    self.description = description
  }
}

/// A data set, environment or agent that names nothing, or names a bad file.
public struct NameError: Error, CustomStringConvertible {
  /// Which of the names is wrong.
  public enum Key: Sendable { case subject, agent }
  public let key: Key
  public let description: String

  public init(_ key: Key, _ description: String) {
    self.key = key
    self.description = description
  }

  /// Runs `body`, turning its errors into a ``NameError`` on `key`.
  static func on<T>(_ key: Key, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as NameError { throw error } catch {
      throw NameError(key, "\(error)")
    }
  }
}

extension RunKinds {
  /// The kind whose ``RunJob/kind`` is `name`.
  public static func kind(named name: String) -> (any NamedRunKind.Type)? {
    all.first { $0.kind == name }
  }

  /// The settings of the run in `folder`, read by its kind: the one its `summary.json` names,
  /// else — a run still in progress, or one written before runs recorded their kind — the first
  /// kind whose settings read its `config.yaml`.
  /// - Throws: ``PlaygroundConfig/RunError`` when it is not a run folder of any kind.
  public static func job(ofRun folder: URL) throws -> any NamedRunKind {
    let config = folder.appendingPathComponent("config.yaml")
    guard FileManager.default.fileExists(atPath: config.path) else {
      throw RunError("\(folder.path) is not a run folder (it has no config.yaml)")
    }
    let summary = (try? Summary.read(folder.appendingPathComponent("summary.json"))) ?? [:]
    if let name = summary["kind"] as? String {
      guard let kind = kind(named: name) else {
        throw RunError(
          "\(folder.path) is a run of kind '\(name)', which this playground does not know: use the version that made it"
        )
      }
      return try kind.init(configAt: config)
    }
    return try job(configAt: config)
  }

  /// The job of the run in `folder` as a kind with `capability` (`ExportableRun`,
  /// `AuditableRun`, …), or a one-line refusal: "<folder> is a <kind> run" and then `refusal`,
  /// which says what the command does and for which kinds.
  public static func job<Capability>(
    ofRun folder: URL, as capability: Capability.Type, refusal: @autoclosure () -> String
  ) throws -> Capability {
    let job = try job(ofRun: folder)
    guard let capable = job as? Capability else {
      throw RunError("\(folder.path) is a \(type(of: job).kind) run\(refusal())")
    }
    return capable
  }

  /// The settings of a run's `config.yaml` at `url` (of the kinds of `family`, when given):
  /// the first kind that reads it.
  /// - Throws: ``PlaygroundConfig/RunError`` when no kind reads it, with the first kind's
  ///   complaint.
  public static func job(configAt url: URL, family: RunFamily? = nil) throws -> any NamedRunKind {
    var firstError: Error?
    for kind in all where family == nil || kind.family == family {
      do { return try kind.init(configAt: url) } catch { firstError = firstError ?? error }
    }
    throw firstError ?? RunError("\(url.path) is not the config.yaml of a run")
  }
}

extension String {
  /// `a, b, c` → `a, b or c`.
  public func replacingLastComma() -> String {
    guard let range = range(of: ", ", options: .backwards) else { return self }
    return replacingCharacters(in: range, with: " or ")
  }
}

extension RunKinds {
  /// The names of the kinds that `isIncluded` keeps, as a phrase (`classify, cartpole-dqn or
  /// gan`): what a command that works on some kinds says it works on.
  static func kinds(_ isIncluded: (any NamedRunKind.Type) -> Bool) -> String {
    all.filter(isIncluded).map { $0.kind }.joined(separator: ", ").replacingLastComma()
  }

  /// The kinds `export` writes, as a phrase.
  static var exportableKinds: String { kinds { $0 is any ExportableRun.Type } }
  /// The kinds `export --int8` quantises, as a phrase.
  static var quantizableKinds: String { kinds { $0 is any QuantizableRun.Type } }
  /// The kinds `explain` draws, as a phrase.
  public static var explainableKinds: String { kinds { $0 is any ExplainableRun.Type } }
  /// The kinds `audit` attacks, as a phrase.
  public static var auditableKinds: String { kinds { $0 is any AuditableRun.Type } }
}
