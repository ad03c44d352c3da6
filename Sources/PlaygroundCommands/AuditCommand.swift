import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundData
import PlaygroundImage
import PlaygroundKinds
import PlaygroundPrivacy
import PlaygroundRuns

/// `playground audit RUN_DIR`: an empirical privacy audit by membership inference.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract:
      "Test how much a trained model reveals about its training data (membership inference).",
    discussion: """
      Scores a balanced sample of the run's training images (members) and held-out test images (non-members) with attacks that see only the model's outputs — the loss threshold (Yeom et al. 2018) and the modified entropy (Song & Mittal 2021) — and reports each attack's ROC: the area under it (0.5: the model gives nothing away; 1: every member is told apart), the true-positive rate at 1% false positives, and the best threshold's accuracy. A model trained long without privacy scores well above 0.5; a DP-SGD one (classify --dp) close to it. Writes RUN_DIR/audit.json and RUN_DIR/audit.png (the ROC curves).

      Examples:
        playground audit outputs/classify-fashion/latest
        playground audit outputs/classify-mnist/latest --samples 2000 --seed 1
      """)

  @Argument(
    help: ArgumentHelp(
      "A classify run folder (outputs/classify-mnist/latest).", valueName: "run-dir"))
  var runFolder: String

  @Option(help: "Members and non-members each, at most (fewer if the run has fewer).")
  var samples = 5_000

  @Option(help: "The seed that draws the sample.")
  var seed: UInt64 = 0

  @OptionGroup var data: DataOptions

  func validate() throws {
    guard (1...1_000_000).contains(samples) else {
      throw ValidationError("--samples must be 1 to 1000000, got \(samples)")
    }
  }

  func run() throws {
    let folder = URL(fileURLWithPath: runFolder).resolvingSymlinksInPath()
    let auditable = try RunKinds.job(
      ofRun: folder, as: (any AuditableRun).self,
      refusal: ": audit attacks \(RunKinds.auditableKinds) runs")
    let scores = try auditable.membershipScores(
      run: folder, sources: DataSources.fromEnvironment(dataDirectory: data.dataDir),
      samples: samples, seed: seed)
    let results = scores.attacks.map {
      ($0, MembershipAudit.evaluate(members: $0.members, nonMembers: $0.nonMembers))
    }
    print("membership inference on \(scores.sample):")
    for (attack, result) in results {
      print(
        String(
          format: "  %@: AUC %.4f, TPR at 1%% FPR %.4f, best accuracy %.4f", attack.description,
          result.auc, result.truePositiveRateAtOnePercent, result.bestAccuracy))
    }
    try write(results, sample: scores.sample, run: folder)
    print("→ \(folder.appendingPathComponent("audit.json").path), audit.png")
  }

  /// `audit.json` and `audit.png`, each written whole or not at all.
  private func write(
    _ results: [(MembershipScores.Attack, MembershipAudit.Result)], sample: String, run folder: URL
  ) throws {
    var attacks: [String: Any] = [:]
    for (attack, result) in results {
      attacks[attack.name] = [
        "description": attack.description, "auc": result.auc,
        "tpr_at_1pct_fpr": result.truePositiveRateAtOnePercent,
        "best_accuracy": result.bestAccuracy,
      ]
    }
    let summary =
      try? JSONSerialization.jsonObject(
        with: Data(contentsOf: folder.appendingPathComponent("summary.json"))) as? [String: Any]
    let report: [String: Any] = [
      "sample": sample, "samples": samples, "seed": seed, "attacks": attacks,
      "privacy": summary?["privacy"] ?? NSNull(),
    ]
    try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
      .write(to: folder.appendingPathComponent("audit.json"), options: .atomic)
    let series =
      results.enumerated().map { k, entry in
        LineChart.Series(
          name: String(format: "%@ (AUC %.3f)", entry.0.name, entry.1.auc),
          color: LineChart.palette[k % LineChart.palette.count],
          points: entry.1.curve.map { ($0.falsePositiveRate, $0.truePositiveRate) })
      } + [LineChart.Series(name: "chance", color: [160, 160, 160], points: [(0, 0), (1, 1)])]
    var chart = LineChart(
      title: "MEMBERSHIP INFERENCE", xLabel: "FALSE POSITIVE RATE (NON-MEMBERS CALLED MEMBERS)",
      yLabel: "TRUE POSITIVE RATE", series: series)
    chart.xRange = 0...1
    chart.yRange = 0...1
    try PNG.write(chart.render(), to: folder.appendingPathComponent("audit.png"))
  }
}
