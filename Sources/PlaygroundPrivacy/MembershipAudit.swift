/// An empirical privacy audit by membership inference: how well an attacker who sees only a
/// model's outputs tells the examples it was trained on (members) from others drawn the same way
/// (non-members). Each attack gives every example a score, higher meaning "member"; its ROC
/// curve, area under it (0.5: no better than a coin) and true-positive rate at a 1% false-positive
/// rate (what Carlini et al., 2022, argue an audit should report) summarise it.
public enum MembershipAudit {
  /// A point of an ROC curve: the share of non-members and of members scored at or above a
  /// threshold.
  public struct Point: Equatable, Sendable {
    public let falsePositiveRate: Double
    public let truePositiveRate: Double

    public init(falsePositiveRate: Double, truePositiveRate: Double) {
      self.falsePositiveRate = falsePositiveRate
      self.truePositiveRate = truePositiveRate
    }
  }

  /// How one attack did.
  public struct Result: Sendable {
    /// From (0, 0) to (1, 1), one point per distinct score.
    public let curve: [Point]
    /// The area under ``curve`` (ties count half, as the Mann–Whitney statistic).
    public let auc: Double
    /// The highest true-positive rate at a false-positive rate of at most 1%.
    public let truePositiveRateAtOnePercent: Double
    /// The best accuracy of a threshold on the balanced sample: (1 + max(TPR − FPR)) / 2.
    public let bestAccuracy: Double
  }

  /// The ROC of scores (higher: "member").
  /// - Precondition: both lists are non-empty and hold no NaN.
  public static func evaluate(members: [Double], nonMembers: [Double]) -> Result {
    precondition(!members.isEmpty && !nonMembers.isEmpty, "an audit needs both kinds of examples")
    precondition(!(members + nonMembers).contains { $0.isNaN }, "scores must be numbers")
    let labelled = (members.map { ($0, true) } + nonMembers.map { ($0, false) })
      .sorted { $0.0 > $1.0 }
    let (positives, negatives) = (Double(members.count), Double(nonMembers.count))
    var curve = [Point(falsePositiveRate: 0, truePositiveRate: 0)]
    var (truePositives, falsePositives, area) = (0.0, 0.0, 0.0)
    var index = 0
    while index < labelled.count {
      // Every example with this score crosses the threshold together.
      let score = labelled[index].0
      let before = (truePositives, falsePositives)
      while index < labelled.count && labelled[index].0 == score {
        if labelled[index].1 { truePositives += 1 } else { falsePositives += 1 }
        index += 1
      }
      area +=
        (falsePositives - before.1) / negatives
        * (truePositives + before.0) / 2 / positives
      curve.append(
        Point(
          falsePositiveRate: falsePositives / negatives,
          truePositiveRate: truePositives / positives))
    }
    let lowFalsePositives = curve.filter { $0.falsePositiveRate <= 0.01 }
    let advantage = curve.map { $0.truePositiveRate - $0.falsePositiveRate }.max() ?? 0
    return Result(
      curve: curve, auc: area,
      truePositiveRateAtOnePercent: lowFalsePositives.map(\.truePositiveRate).max() ?? 0,
      bestAccuracy: (1 + advantage) / 2)
  }
}
