import PlaygroundCore
import PlaygroundGenerative
import Testing
import TestSupport

@Suite(.onEveryBackend) struct SampleQualityTests {
  static func features(_ n: Int, shift: Float, seed: UInt64) -> Tensor {
    RandomGenerator(seed: seed).normalTensor([n, 3]).adding(shift)
  }

  @Test func inceptionScoreRunsFromOneToTheClassCount() {
    let confident = Tensor.oneHot((0..<100).map { $0 % 10 }, depth: 10)
    let same = Tensor(repeating: 0.1, shape: [100, 10])
    let f = Self.features(100, shift: 0, seed: 1)
    let perfect = SampleQuality(probabilities: confident, features: f, realFeatures: f)
    #expect(abs(perfect.inceptionScore - 10) < 1e-9)
    #expect(perfect.classShares.allSatisfy { abs($0 - 0.1) < 1e-12 })
    #expect(perfect.confidentShare == 1)
    #expect(perfect.labelAccuracy == nil)
    let drawn = SampleQuality(
      probabilities: confident, features: f, realFeatures: f,
      labels: (0..<100).map { $0 % 10 == 3 ? 4 : $0 % 10 })
    #expect(abs(drawn.labelAccuracy! - 0.9) < 1e-12)
    let useless = SampleQuality(probabilities: same, features: f, realFeatures: f)
    #expect(abs(useless.inceptionScore - 1) < 1e-9)
    #expect(useless.confidentShare == 0)
  }

  @Test func frechetDistanceMeasuresTheShift() {
    let real = Self.features(4000, shift: 0, seed: 2)
    let same = SampleQuality(
      probabilities: Tensor.oneHot([0], depth: 2), features: real, realFeatures: real)
    #expect(abs(same.frechetDistance) < 1e-6)
    // Shifting every one of 3 dimensions by 2 adds 3 · 2² = 12 (the covariances agree).
    let shifted = SampleQuality(
      probabilities: Tensor.oneHot([0], depth: 2), features: real.adding(2), realFeatures: real)
    #expect(abs(shifted.frechetDistance - 12) < 1e-6)
    // Independent samples of the same distribution are close.
    let other = SampleQuality(
      probabilities: Tensor.oneHot([0], depth: 2), features: Self.features(4000, shift: 0, seed: 3),
      realFeatures: real)
    #expect(other.frechetDistance < 0.05)
  }
}
