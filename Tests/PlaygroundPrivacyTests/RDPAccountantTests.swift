import Foundation
import TestSupport
import Testing

@testable import PlaygroundPrivacy

/// The RDP accountant against Opacus 1.6.0's own values (`Tests/Fixtures/opacus_rdp.json`):
/// every ε within 1e-6 relative with its best order, the RDP at every tenth order, and the
/// noise multiplier that Opacus's search finds for a target ε.
@Suite(.onOneBackend) struct RDPAccountantTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      let sample_rate: Double
      let noise_multiplier: Double
      let steps: Int
      let delta: Double
      let epsilon: Double
      let best_order: Double
      let rdp_at_orders: [String: Double]
    }
    struct NoiseCase: Decodable {
      let target_epsilon: Double
      let delta: Double
      let sample_rate: Double
      let steps: Int
      let noise_multiplier: Double
    }
    let orders: [Double]
    let cases: [Case]
    let noise_for_target: [NoiseCase]
  }

  static let fixture: Fixture = try! JSONDecoder().decode(
    Fixture.self,
    from: Data(contentsOf: fixturesDirectory.appendingPathComponent("opacus_rdp.json")))

  @Test func theOrdersAreOpacusDefaultAlphas() {
    #expect(RDPAccountant.defaultOrders == Self.fixture.orders)
  }

  @Test(arguments: fixture.cases.indices)
  func epsilonAndRDPMatchOpacus(_ index: Int) {
    let test = Self.fixture.cases[index]
    let rdp = RDPAccountant.rdp(
      sampleRate: test.sample_rate, noiseMultiplier: test.noise_multiplier, steps: test.steps)
    let spent = RDPAccountant.privacySpent(
      orders: RDPAccountant.defaultOrders, rdp: rdp, delta: test.delta)
    #expect(
      abs(spent.epsilon - test.epsilon) <= 1e-6 * test.epsilon,
      "q \(test.sample_rate) σ \(test.noise_multiplier): ε \(spent.epsilon), Opacus \(test.epsilon)"
    )
    #expect(spent.order == test.best_order)
    for (key, expected) in test.rdp_at_orders {
      let order = Double(key)!
      let value = rdp[RDPAccountant.defaultOrders.firstIndex(of: order)!]
      #expect(
        abs(value - expected) <= 1e-9 * max(1, abs(expected)),
        "order \(key): \(value), Opacus \(expected)")
    }
  }

  @Test(arguments: fixture.noise_for_target.indices)
  func theNoiseForATargetIsOpacus(_ index: Int) throws {
    let test = Self.fixture.noise_for_target[index]
    let sigma = try RDPAccountant.noiseMultiplier(
      targetEpsilon: test.target_epsilon, delta: test.delta, sampleRate: test.sample_rate,
      steps: test.steps)
    #expect(sigma == test.noise_multiplier, "σ \(sigma), Opacus \(test.noise_multiplier)")
    let spent = RDPAccountant.epsilon(
      sampleRate: test.sample_rate, noiseMultiplier: sigma, steps: test.steps, delta: test.delta)
    #expect(spent <= test.target_epsilon && spent >= test.target_epsilon - 0.01)
  }

  @Test func anUnreachableTargetIsOneLine() {
    #expect {
      try RDPAccountant.noiseMultiplier(
        targetEpsilon: 1e-9, delta: 1e-5, sampleRate: 1, steps: 100_000)
    } throws: { "\($0)".contains("cannot be met") }
  }

  /// The normal distribution's log in both tails, where erfc alone underflows.
  @Test(arguments: [
    (0.0, -0.6931471805599453), (-10.0, -53.23128515051248), (-40.0, -804.6084420137539),
    (8.0, -6.220960574271742e-16),
  ])
  func logNormalCDFHoldsInTheTails(_ x: Double, _ expected: Double) {
    let value = LogSpace.logNormalCDF(x)
    #expect(abs(value - expected) <= 1e-12 * abs(expected), "\(x): \(value)")
  }
}
