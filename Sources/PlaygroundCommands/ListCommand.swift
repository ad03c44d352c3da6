import ArgumentParser
import Foundation
import PlaygroundEnvironments
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios

/// `playground list`: the built-in scenarios, environments and agents, one line each.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the built-in scenarios, environments and agents, one line each.",
    discussion: """
      Scenarios run with 'playground run NAME', tuning studies with 'playground tune NAME'; environments and agents are named in a scenario (environment:, agent:) or passed to the commands (--map, --agent). Files come from scenarios/, environments/ and agents/ of the working folder, else of the playground's package.

      Examples:
        playground list
      """)

  func run() throws {
    let all = ScenarioCatalog.entries(of: "scenarios")
    // A study is a scenario with a search: section.
    let isStudy = { (entry: (name: String, path: String, line: String)) in
      ((try? String(contentsOfFile: entry.path, encoding: .utf8)) ?? "").contains("\nsearch:")
    }
    let scenarios = all.filter { !isStudy($0) }
    print("Scenarios (playground run NAME):")
    if scenarios.isEmpty { print("  none found: run from the playground's folder") }
    for entry in scenarios { print(row(entry.name, entry.line)) }
    let studies = all.filter(isStudy)
    if !studies.isEmpty {
      print("\nTuning studies (playground tune NAME):")
      for entry in studies { print(row(entry.name, entry.line)) }
    }
    print("\nEnvironments (environment: in a scenario):")
    print(row("cartpole", "Gymnasium's CartPole-v1 (physics in environments/cartpole.yaml)"))
    let worlds = GridWorldCatalog.builtIn
    for name in worlds.keys.sorted() {
      let world = worlds[name]!
      let rows = world.map.split(separator: "\n").count
      let columns = world.map.split(separator: "\n").first?.count ?? 0
      print(
        row(
          name,
          "grid world \(columns)×\(rows), slip probability \(String(format: "%.3g", world.slipProbability)), step limit \(world.stepLimit)"
        ))
    }
    for entry in ScenarioCatalog.entries(of: "environments")
    where worlds[entry.name] == nil && entry.name != "cartpole" {
      print(row(entry.path, entry.line))
    }
    print("\nKinds of run (kind: in a scenario):")
    for family in RunFamily.allCases {
      let kinds = RunKinds.all.filter { $0.family == family }
      let names = kinds.map { $0.kind }.joined(separator: ", ")
      print(row(family.rawValue, (kinds.count == 1 ? "kind " : "kinds ") + names))
    }
    print("\nAgents and models (agent: in a scenario):")
    for (kind, presets) in ScenarioFile.presets {
      for preset in presets { print(row(preset.name, "\(kind): \(preset.description)")) }
    }
  }

  func row(_ name: String, _ line: String) -> String {
    "  " + name.padding(toLength: max(22, name.count + 2), withPad: " ", startingAt: 0) + line
  }
}
