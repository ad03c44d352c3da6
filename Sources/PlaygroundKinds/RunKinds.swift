import Foundation
import PlaygroundRuns

/// The kinds of run there are. A new kind is a folder of its own beside Classify/, GridWorld/,
/// CartPole/ and GAN/ with a type that conforms to ``NamedRunKind``, plus one line in ``all``;
/// `playground run`, sweeps, `playground list`, `inspect` and `report.html` then know it.
public enum RunKinds {
  /// Every kind, in the order they are asked to claim a scenario's names (within a family, the
  /// catch-all last).
  public static let all: [any NamedRunKind.Type] = [
    ClassifierRun.self,
    CartPoleRun.self,
    CartPoleQLearningRun.self,
    GridWorldRun.self,
    GANRun.self,
    TextRun.self,
  ]

  /// The job that a family's `subject` (data set or environment) and `agent` name.
  /// - Parameter resolve: finds a path as the caller means it (a scenario: beside the file).
  /// - Throws: ``NameError`` naming which of the two is wrong.
  public static func job(
    _ family: RunFamily, subject: String?, agent: String?,
    resolve: (String) -> URL? = RunKinds.existingFile
  ) throws -> any NamedRunKind {
    for kind in all where kind.family == family {
      if let job = try kind.job(subject: subject, agent: agent, resolve: resolve) { return job }
    }
    throw NameError(
      .agent,
      "unknown agent '\(agent ?? "")': use \(agentNames(family).joined(separator: ", ")) or the path of a .yaml file"
    )
  }

  /// The agent (or model) names of a family's kinds.
  public static func agentNames(_ family: RunFamily) -> [String] {
    var names: [String] = []
    for kind in all where kind.family == family { names += kind.agentNames }
    return names
  }

  /// Every kind's curve and headline keys (to read runs whose summary does not state theirs).
  public static var presentations: [RunPresentation] { all.map { $0.presentation } }

  /// `path` if a file or folder is there (from the working folder).
  public static func existingFile(_ path: String) -> URL? {
    FileManager.default.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
  }
}

/// The families a scenario's `kind:` names; each has one or more kinds in ``RunKinds``.
public enum RunFamily: String, CaseIterable, Sendable {
  case classify, rl, gan, text

  /// The key that names what the family works on: `dataset` or `environment`.
  public var subjectKey: String { self == .rl ? "environment" : "dataset" }
}

/// A kind of run that a scenario's `kind:`, `dataset:`/`environment:` and `agent:` — or a
/// command's arguments — can name.
public protocol NamedRunKind: RunJob {
  static var family: RunFamily { get }
  /// What it is, for `playground list`, e.g. `rl (cartpole)`.
  static var label: String { get }
  /// The agent (or model) names it takes.
  static var agentNames: [String] { get }
  /// The job that `subject` (a data set or an environment: a name or a path; `nil` when not
  /// given) and `agent` (a name or the path of a settings file) name, or `nil` when they name
  /// another kind of the same family.
  /// - Throws: ``NameError`` when a name is unknown or a file cannot be read.
  static func job(subject: String?, agent: String?, resolve: (String) -> URL?) throws -> Self?
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
