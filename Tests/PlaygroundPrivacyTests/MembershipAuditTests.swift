import PlaygroundPrivacy
import TestSupport
import Testing

/// The audit's ROC against cases whose answer is known by hand.
@Suite(.onOneBackend) struct MembershipAuditTests {
  @Test func perfectSeparationHasAreaOne() {
    let result = MembershipAudit.evaluate(members: [3, 4, 5], nonMembers: [0, 1, 2])
    #expect(result.auc == 1)
    #expect(result.truePositiveRateAtOnePercent == 1)
    #expect(result.bestAccuracy == 1)
  }

  /// A constant model's scores are all equal: the curve is the diagonal, the area one half.
  @Test func equalScoresAreACoinToss() {
    let result = MembershipAudit.evaluate(
      members: [Double](repeating: 0.3, count: 50),
      nonMembers: [Double](repeating: 0.3, count: 70))
    #expect(result.auc == 0.5)
    #expect(
      result.curve == [
        .init(falsePositiveRate: 0, truePositiveRate: 0),
        .init(falsePositiveRate: 1, truePositiveRate: 1),
      ])
    #expect(result.truePositiveRateAtOnePercent == 0)
    #expect(result.bestAccuracy == 0.5)
  }

  /// The area is the Mann–Whitney statistic: P(member score > non-member score) + ½ P(tie).
  @Test func theAreaIsTheShareOfPairsRankedRight() {
    let members: [Double] = [0.9, 0.4, 0.4, 0.1, 0.7]
    let nonMembers: [Double] = [0.4, 0.2, 0.8, 0.05]
    var pairs = 0.0
    for m in members {
      for n in nonMembers { pairs += m > n ? 1 : m == n ? 0.5 : 0 }
    }
    let result = MembershipAudit.evaluate(members: members, nonMembers: nonMembers)
    #expect(abs(result.auc - pairs / 20) < 1e-12)
    #expect(result.curve.last == .init(falsePositiveRate: 1, truePositiveRate: 1))
  }
}
