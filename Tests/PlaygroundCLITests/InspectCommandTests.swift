import Foundation
import TestSupport
import Testing

/// `playground inspect` on runs made here, and `report.html` in a real browser.
@Suite(.onOneBackend, .serialized) struct InspectCommandTests {
  /// Two small cart-pole runs and one GAN run in a sandbox's outputs.
  final class Runs: @unchecked Sendable {
    let box: ClassifyCommandTests.Sandbox
    let cartPoleA: URL
    let cartPoleB: URL
    let gan: URL

    /// Made once for the suite.
    static let shared = Result { try Runs() }

    init() throws {
      let box = try ClassifyCommandTests.Sandbox()
      self.box = box
      func train(_ arguments: [String], _ scenario: String) throws -> URL {
        let outcome = try BinaryRunner.run(
          arguments + ["--output-dir", box.outputs.path, "--quiet"], environment: box.environment)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        return box.outputs.appendingPathComponent("\(scenario)/latest").resolvingSymlinksInPath()
      }
      cartPoleA = try train(["rl", "cartpole", "--steps", "2000", "--seed", "1"], "rl-cartpole")
      // Run ids are per second; keep the two cart-pole runs apart.
      waitForTheNextSecond()
      cartPoleB = try train(["rl", "cartpole", "--steps", "3000", "--seed", "2"], "rl-cartpole")
      waitForTheNextSecond()
      gan = try train(
        ["gan", "mnist", "--model", "mlp", "--epochs", "1", "--data-dir", box.data.path],
        "gan-mnist")
    }
  }

  /// Before the first run there is no outputs/ folder (git keeps nothing there): `inspect`
  /// says so and how to make one, instead of an error.
  @Test func inspectBeforeTheFirstRunSaysHowToMakeOne() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID())")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let outcome = try BinaryRunner.run(["inspect"], in: empty)
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.hasPrefix("no runs yet: outputs/ is made by the first run"))
    let named = try BinaryRunner.run(["inspect", "outputs"], in: empty)
    #expect(named.status == 1)
  }

  @Test func aPNGShowsItsHeaderAndAPreviewScaledToTheWidth() throws {
    let runs = try Runs.shared.get()
    let sheet = runs.gan.appendingPathComponent("samples/final.png")
    let plain = try BinaryRunner.run(["inspect", sheet.path, "--width", "60"])
    #expect(plain.status == 0, "\(plain.standardError)")
    let lines = plain.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines[0] == "\(sheet.path): PNG 582×582, gray, 8-bit")
    // Not a terminal: grayscale characters, 60 wide, 30 rows for a square picture.
    #expect(lines.dropFirst().filter { !$0.isEmpty }.count == 30)
    #expect(lines.dropFirst().filter { !$0.isEmpty }.allSatisfy { $0.count == 60 })
    #expect(!plain.standardOutput.contains("\u{1B}["))
    let colored = try BinaryRunner.run(["inspect", sheet.path, "--width", "20", "--color"])
    #expect(colored.standardOutput.contains("\u{1B}[38;2;") && colored.standardOutput.contains("▀"))
    let tile = try BinaryRunner.run(["inspect", sheet.path, "--tile", "11", "--width", "28"])
    #expect(
      tile.standardOutput.contains("tile 11 of 100: 56×56 at (60, 60)"), "\(tile.standardOutput)")
    #expect(tile.standardOutput.split(separator: "\n").count == 1 + 14)
  }

  @Test func aRunFolderShowsItsFiguresCurveAndPictures() throws {
    let runs = try Runs.shared.get()
    let latest = runs.box.outputs.appendingPathComponent("rl-cartpole/latest")
    let outcome = try BinaryRunner.run(["inspect", latest.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let text = outcome.standardOutput
    #expect(text.hasPrefix("rl-cartpole/\(runs.cartPoleB.lastPathComponent)"))
    #expect(text.contains("seed                     2"))
    #expect(text.contains("status                   finished"))
    #expect(text.contains("final_eval_mean_return"))
    #expect(text.contains("mean_return over step (eval.csv): ") && text.contains("▁"))
    #expect(text.contains("episode.png (") && text.contains("learning_curve.png (640×400)"))

    let compared = try BinaryRunner.run([
      "inspect", "--compare", runs.cartPoleA.path, runs.cartPoleB.path,
    ])
    #expect(compared.status == 0, "\(compared.standardError)")
    #expect(compared.standardOutput.contains("settings that differ:"))
    let differing = compared.standardOutput.split(separator: "\n").filter {
      $0.hasPrefix("  agent.")
    }
    #expect(differing.count == 2, "\(compared.standardOutput)")  // total_steps and seed
    #expect(differing.contains { $0.contains("agent.total_steps") && $0.contains("2000") })

    let table = try BinaryRunner.run(["inspect", runs.box.outputs.path])
    let rows = table.standardOutput.split(separator: "\n")
    #expect(rows.count == 4, "\(table.standardOutput)")
    #expect(rows[0].hasPrefix("run"))
    // Newest first.
    #expect(rows[1].hasPrefix("gan-mnist/"))
    #expect(rows[2].hasPrefix("rl-cartpole/\(runs.cartPoleB.lastPathComponent)"))
    #expect(rows[3].hasPrefix("rl-cartpole/\(runs.cartPoleA.lastPathComponent)"))
  }

  @Test func badPathsAreOneClearLine() throws {
    let runs = try Runs.shared.get()
    let text = runs.box.root.appendingPathComponent("notes.txt")
    try "hello".write(to: text, atomically: true, encoding: .utf8)
    var corrupt = try Data(contentsOf: runs.gan.appendingPathComponent("losses.png"))
    corrupt[corrupt.count / 2] ^= 0xFF
    let broken = runs.box.root.appendingPathComponent("broken.png")
    try corrupt.write(to: broken)
    let cases: [([String], String)] = [
      (["inspect", "/no/such/path"], "no such file or folder"),
      (["inspect", text.path], "is not a PNG file"),
      (["inspect", broken.path], "invalid PNG"),
      (["inspect", runs.box.data.path], "is neither a run folder"),
      (["inspect", "--compare", runs.box.data.path, runs.gan.path], "is not a run folder"),
      (
        ["inspect", runs.gan.appendingPathComponent("losses.png").path, "--tile", "2"],
        "not a sheet of tiles"
      ),
    ]
    for (arguments, expected) in cases {
      let outcome = try BinaryRunner.run(arguments)
      #expect(outcome.status != 0, "\(arguments)")
      #expect(outcome.standardError.contains(expected), "\(arguments): \(outcome.standardError)")
      #expect(outcome.standardError.split(separator: "\n").count == 1)
    }
  }

  /// Every picture is embedded; in headless Chromium every image loads and nothing is logged.
  @Test func theReportIsSelfContainedAndLoadsInABrowser() throws {
    let runs = try Runs.shared.get()
    let report = try String(
      contentsOf: runs.gan.appendingPathComponent("report.html"), encoding: .utf8)
    let pictures = try FileManager.default.subpathsOfDirectory(atPath: runs.gan.path).filter {
      $0.hasSuffix(".png")
    }
    #expect(pictures.count >= 5)
    #expect(
      report.components(separatedBy: "src=\"data:image/png;base64,").count - 1 == pictures.count)
    #expect(
      !report.contains("http://") && !report.contains("https://") && !report.contains("src=\"/"))
    #expect(report.contains("<svg") && report.contains("d_loss"))
    guard
      ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains(where: {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    else {
      print("skipped: the browser check needs Chromium (scripts/setup installs it)")
      return
    }
    let check = try ProjectScript.run(
      "check-report", [runs.gan.path, runs.box.root.appendingPathComponent("shot.png").path])
    let text = check.output
    #expect(check.status == 0, "\(text)")
    #expect(text.contains("\(pictures.count)/\(pictures.count) images loaded"), "\(text)")
    let shot = try Data(contentsOf: runs.box.root.appendingPathComponent("shot.png"))
    #expect(shot.count > 10_000)
  }
}
