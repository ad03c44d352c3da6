import Foundation
import TestSupport
import Testing

/// Every suite says whether it runs on every compute backend or on one (``BackendPass``), so
/// that a new suite chooses rather than silently running once or twice.
@Suite(.onOneBackend) struct TestMarkingTests {
  @Test func everySuiteSaysOnWhichBackendsItRuns() throws {
    let tests = ScenarioCommandTests.root.appendingPathComponent("Tests")
    let files =
      FileManager.default.enumerator(atPath: tests.path)?.compactMap { $0 as? String }
      .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("TestSupport/") } ?? []
    #expect(files.count > 40)
    var unmarked: [String] = []
    for file in files {
      let text = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      for (index, line) in lines.enumerated() where line.hasPrefix("@Suite") {
        // The attribute's arguments, on its line or the next few.
        let attribute = lines[index..<min(index + 4, lines.count)].joined(separator: " ")
        if !attribute.contains(".onEveryBackend") && !attribute.contains(".onOneBackend") {
          unmarked.append("\(file):\(index + 1)")
        }
      }
      let suites = lines.filter { $0.hasPrefix("@Suite") }.count
      let tests = lines.filter { $0.contains("@Test") }.count
      if tests > 0 && suites == 0 { unmarked.append("\(file): tests outside a marked @Suite") }
    }
    #expect(unmarked == [], "mark each with @Suite(.onEveryBackend) or @Suite(.onOneBackend)")
  }
}
