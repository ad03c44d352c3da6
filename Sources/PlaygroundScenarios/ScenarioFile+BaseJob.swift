import Foundation
import PlaygroundKinds
import Yams

extension ScenarioFile.Reader {
  /// The job that `kind`, `dataset`/`environment` and `agent` name, before overrides: the first
  /// kind of the registry (``RunKinds``) of that family that claims the names.
  mutating func baseJob(kind: String, kindNode: Node, _ mapping: Node.Mapping)
    -> (any NamedRunKind)?
  {
    guard let family = RunFamily(rawValue: kind) else {
      problem(
        kindNode,
        "unknown kind '\(kind)': use \(RunFamily.allCases.map(\.rawValue).joined(separator: ", ").replacingLastComma())"
      )
      return nil
    }
    for key in ["dataset", "environment"] where mapping[key] != nil && key != family.subjectKey {
      problem(mapping[key], "'\(key)' does not apply to kind \(kind)")
    }
    let subject = string(mapping, family.subjectKey)
    let agent = string(mapping, "agent")
    do {
      return try RunKinds.job(family, subject: subject?.0, agent: agent?.0, resolve: resolve)
    } catch let error as NameError {
      problem(error.key == .subject ? subject?.1 : agent?.1, "\(error)")
    } catch {
      problem(agent?.1, "\(error)")
    }
    return nil
  }
}
