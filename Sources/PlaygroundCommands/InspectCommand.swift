import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundImage
import PlaygroundKinds
import PlaygroundRuns
import PlaygroundScenarios

/// `playground inspect PATH`: a PNG, a run folder or the outputs folder, in the terminal.
struct InspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Look at a PNG, a run folder, or all runs, from the terminal.",
    discussion: """
      A PNG: its size, colour type and bit depth, and a preview scaled to the terminal (24-bit colour half blocks; grayscale characters when the output is not a terminal, NO_COLOR is set or --ascii). A run folder (or outputs/<scenario>/latest): scenario, seed, status, headline figures, a sparkline of the learning curve and its pictures. A sweep (outputs/<name>/sweep): its sweep.csv as a table. A tuning study (outputs/<name>/tune): its trials and the best. A folder of runs (outputs/ or outputs/<scenario>/): a table of runs, newest first.

      Examples:
        playground inspect outputs/gan-mnist/latest/samples/final.png
        playground inspect outputs/gan-mnist/latest/samples/final.png --tile 7
        playground inspect outputs/rl-cartpole/latest
        playground inspect --compare outputs/rl-cartpole/RUN_A outputs/rl-cartpole/RUN_B
        playground inspect outputs
      """)

  @Argument(help: "A .png file, a run folder, or a folder of runs (default: outputs).")
  var path: String?

  @Option(help: "Show tile N (from 0, row by row) of a sample sheet, enlarged.")
  var tile: Int?

  @Option(
    name: .customLong("compare"), parsing: .upToNextOption,
    help: "Two run folders: differing settings and results side by side.")
  var compared: [String] = []

  @Flag(help: "Grayscale characters instead of colour.")
  var ascii = false

  @Flag(help: "Colour even when the output is not a terminal.")
  var color = false

  @Option(help: "Preview width in characters (default: the terminal's).")
  var width: Int?

  func validate() throws {
    if !compared.isEmpty && (compared.count != 2 || path != nil) {
      throw ValidationError("--compare takes exactly two run folders and no other path")
    }
    if let tile, tile < 0 { throw ValidationError("--tile must be 0 or more, got \(tile)") }
    if let width, width < 8 { throw ValidationError("--width must be at least 8, got \(width)") }
  }

  func run() throws {
    if compared.count == 2 {
      try compare(
        RunRecord(URL(fileURLWithPath: compared[0]), known: RunKinds.presentations),
        RunRecord(URL(fileURLWithPath: compared[1]), known: RunKinds.presentations))
      return
    }
    let target = URL(fileURLWithPath: path ?? "outputs")
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isFolder) else {
      if path == nil {
        // The default folder before the first run.
        print("no runs yet: outputs/ is made by the first run, e.g. playground classify mnist")
        return
      }
      throw CommandFailure("\(target.path): no such file or folder")
    }
    if !isFolder.boolValue {
      try picture(target)
    } else if FileManager.default.fileExists(
      atPath: target.appendingPathComponent("config.yaml").path)
    {
      try runFolder(RunRecord(target, known: RunKinds.presentations))
    } else if let sweep = CSVTable.read(target.appendingPathComponent("sweep.csv")) {
      self.sweep(sweep, in: target)
    } else if let trials = CSVTable.read(target.appendingPathComponent("trials.csv")) {
      study(trials, in: target)
    } else if let trials = CSVTable.read(target.appendingPathComponent("tune/trials.csv")) {
      study(trials, in: target.appendingPathComponent("tune"))
    } else {
      try table(target)
    }
  }

  /// A study's folder (`outputs/<name>/tune`, or `outputs/<name>`): its trials as a table
  /// (numbers to 4 significant digits; the run folders are in `trials.csv`), and the best.
  func study(_ table: CSVTable, in folder: URL) {
    let columns = table.columns.filter { $0 != "runs" }
    let shortened = CSVTable(
      columns: columns,
      rows: table.rows.map { row in
        zip(table.columns, row).filter { $0.0 != "runs" }.map { column, cell in
          guard column != "trial", let number = Double(cell), cell.count > 6 else { return cell }
          return RunRecord.format(number)
        }
      })
    aligned(
      shortened,
      title:
        "study \(folder.deletingLastPathComponent().lastPathComponent): \(table.rows.count) trials")
    let best =
      (try? TextFile.read(folder.appendingPathComponent("best.yaml"), what: "settings"))?
      .split(separator: "\n").first
    if let best, let colon = best.range(of: ": trial ") {
      print(
        "  best: trial " + best[colon.upperBound...] + " — "
          + folder.appendingPathComponent("best.yaml").path)
    } else {
      print("  best: none yet (no trial completed)")
    }
    let chart = folder.appendingPathComponent("tune.png")
    if FileManager.default.fileExists(atPath: chart.path) { print("  chart: \(chart.path)") }
  }

  /// A sweep's folder (`outputs/<name>/sweep`): its `sweep.csv` as an aligned table.
  func sweep(_ table: CSVTable, in folder: URL) {
    aligned(
      table,
      title:
        "sweep of \(folder.deletingLastPathComponent().lastPathComponent): \(table.rows.count) runs"
    )
    let chart = folder.appendingPathComponent("sweep.png")
    if FileManager.default.fileExists(atPath: chart.path) { print("  chart: \(chart.path)") }
    // A Slurm job still running it (or ended and not collected yet).
    if let progress = SlurmSweep.progress(ofSweep: folder) { print("  \(progress)") }
  }

  /// `title`, then the table's header and rows in aligned columns.
  func aligned(_ table: CSVTable, title: String) {
    let rows = [table.columns] + table.rows
    let widths = table.columns.indices.map { column in
      rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
    }
    print(title)
    for row in rows {
      print(
        "  "
          + row.enumerated().map {
            $1.padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0)
          }
          .joined().trimmingCharacters(in: .whitespaces))
    }
  }

  // MARK: Pictures

  var terminalColumns: Int {
    if let width { return width }
    var size = winsize()
    if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
      return Int(size.ws_col)
    }
    return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
  }

  var usesColor: Bool {
    if ascii { return false }
    if color { return true }
    let environment = ProcessInfo.processInfo.environment
    return isatty(STDOUT_FILENO) != 0 && environment["NO_COLOR"] == nil
      && environment["TERM"] != "dumb"
  }

  func picture(_ url: URL) throws {
    let header = try PNG.header(of: url)
    var image: Image
    do {
      image = try PNG.read(url)
    } catch let error as PNGError {
      throw CommandFailure("\(url.path): \(error.description)")
    }
    var what = "\(header.width)×\(header.height), \(header.colorType), \(header.bitDepth)-bit"
    var columns = min(terminalColumns, image.width)
    if let tile {
      let tiles = image.tiles
      guard tiles.count > 1 else {
        throw CommandFailure("\(url.path) is not a sheet of tiles (no gutters found); drop --tile")
      }
      guard tile < tiles.count else {
        throw CommandFailure(
          "--tile \(tile): \(url.lastPathComponent) has tiles 0–\(tiles.count - 1)")
      }
      let rectangle = tiles[tile]
      image = image.cropped(
        x: rectangle.x, y: rectangle.y, width: rectangle.width, height: rectangle.height)
      what +=
        "; tile \(tile) of \(tiles.count): \(rectangle.width)×\(rectangle.height) at (\(rectangle.x), \(rectangle.y))"
      columns = min(terminalColumns, max(image.width, 48))
    }
    print("\(url.path): PNG \(what)")
    print(TerminalPreview.render(image, columns: columns, color: usesColor), terminator: "")
  }

  // MARK: Runs

  func runFolder(_ record: RunRecord) throws {
    print("\(record.scenario)/\(record.runID)")
    let rows: [(String, String)] = [
      ("scenario", record.scenario), ("seed", record.seed), ("status", record.status.rawValue),
    ]
    for (key, value) in rows + record.headline.map({ ($0.key, $0.value) }) {
      print("  \(key.padding(toLength: 24, withPad: " ", startingAt: 0)) \(value)")
    }
    if let curve = record.curve {
      let first = curve.y.first.map(RunRecord.format) ?? ""
      let last = curve.y.last.map(RunRecord.format) ?? ""
      print(
        "  \(curve.yName) over \(curve.xName) (\(curve.file)): \(Sparkline.render(curve.y, width: 40)) \(first) → \(last)"
      )
    }
    if record.status == .interrupted, let resume = record.summary["resume"] as? String {
      print("  continue with: \(resume)")
    }
    print("  pictures:")
    for picture in record.pictures {
      let header = try? PNG.header(of: record.url.appendingPathComponent(picture))
      print("    \(picture)" + (header.map { " (\($0.width)×\($0.height))" } ?? ""))
    }
    let report = record.url.appendingPathComponent(RunReport.fileName)
    if FileManager.default.fileExists(atPath: report.path) { print("  report: \(report.path)") }
  }

  func compare(_ a: RunRecord, _ b: RunRecord) throws {
    let width = 26
    func row(_ key: String, _ left: String, _ right: String) {
      print(
        "  \(key.padding(toLength: width, withPad: " ", startingAt: 0)) \(left.padding(toLength: max(24, left.count + 2), withPad: " ", startingAt: 0))\(right)"
      )
    }
    row("", "A: \(a.scenario)/\(a.runID)", "B: \(b.scenario)/\(b.runID)")
    let left = Dictionary(a.flatConfig, uniquingKeysWith: { $1 })
    let right = Dictionary(b.flatConfig, uniquingKeysWith: { $1 })
    let keys = (a.flatConfig.map(\.key) + b.flatConfig.map(\.key).filter { left[$0] == nil })
    let differing = keys.filter { left[$0] != right[$0] }
    print(differing.isEmpty ? "settings: the same" : "settings that differ:")
    for key in differing { row(key, left[key] ?? "—", right[key] ?? "—") }
    print("results:")
    row("status", a.status.rawValue, b.status.rawValue)
    let headlines = (a.presentation?.headline ?? []) + (b.presentation?.headline ?? [])
    let results = headlines.enumerated()
      .filter { headlines.firstIndex(of: $0.element) == $0.offset }
      .map { $0.element }.filter { a.summary[$0] != nil || b.summary[$0] != nil }
    let aHeadline = Dictionary(a.headline.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    let bHeadline = Dictionary(b.headline.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    for key in results { row(key, aHeadline[key] ?? "—", bHeadline[key] ?? "—") }
    if let ca = a.curve, let cb = b.curve {
      row(ca.yName, Sparkline.render(ca.y, width: 20), Sparkline.render(cb.y, width: 20))
    }
    if let ba = a.bars, let bb = b.bars, ba.key == bb.key {
      print("\(ba.key):")
      for (c, name) in ba.categories.enumerated() {
        func bar(_ values: [Double]) -> String {
          guard c < values.count, values[c].isFinite else { return "—" }
          let filled = Int((max(0, min(1, values[c])) * 10).rounded())
          return String(format: "%.4f ", values[c])
            + String(repeating: "█", count: filled) + String(repeating: "·", count: 10 - filled)
        }
        row("  " + name, bar(ba.values), bar(bb.values))
      }
    }
  }

  /// Every run under `folder` (outputs/ or one scenario's folder), newest first.
  func table(_ folder: URL) throws {
    let manager = FileManager.default
    func runs(in scenario: URL) -> [URL] {
      ((try? manager.contentsOfDirectory(atPath: scenario.path)) ?? []).filter {
        $0 != "latest" && $0 != "sweep"
      }.map { scenario.appendingPathComponent($0) }.filter {
        manager.fileExists(atPath: $0.appendingPathComponent("config.yaml").path)
      }
    }
    var found = runs(in: folder)
    if found.isEmpty {
      for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] {
        found += runs(in: folder.appendingPathComponent(name))
      }
    }
    guard !found.isEmpty else {
      throw CommandFailure(
        "\(folder.path) is neither a run folder (no config.yaml) nor a folder of runs: pass outputs/, outputs/<scenario>/ or a run folder"
      )
    }
    let records = found.compactMap { try? RunRecord($0, known: RunKinds.presentations) }
    // Newest first: run ids start with their UTC time (staging folders with a dot).
    func stamp(_ record: RunRecord) -> String {
      String(record.url.lastPathComponent.drop { $0 == "." })
    }
    let sorted = records.sorted { (stamp($0), $0.scenario) > (stamp($1), $1.scenario) }
    let nameWidth = min(
      60, sorted.map { "\($0.scenario)/\($0.url.lastPathComponent)".count }.max()! + 2)
    print(
      "run".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "status       headline")
    for record in sorted {
      let name = "\(record.scenario)/\(record.url.lastPathComponent)"
      let status =
        record.url.lastPathComponent.hasPrefix(".") ? "incomplete" : record.status.rawValue
      let headline = record.headline.prefix(2).map { "\($0.key) \($0.value)" }.joined(
        separator: ", ")
      print(
        name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
          + status.padding(toLength: 13, withPad: " ", startingAt: 0) + headline)
    }
  }
}
