import PlaygroundCore
import Testing
import TestSupport

/// The tape's contract: accumulation, shared sub-expressions, no-grad regions, detaching.
@Suite(.onEveryBackend) struct AutodiffTests {
  @Test func gradientsAccumulateAcrossBackwardPasses() {
    let w = Tensor([1, 2]).requiringGrad()
    (w * w).sum().backward()
    #expect(w.gradient == [2, 4])
    (w * 3).sum().backward()
    #expect(w.gradient == [5, 7])
    w.zeroGradient()
    #expect(w.gradient == nil)
  }

  @Test func sharedSubexpressionsAddTheirContributions() {
    // y = a·a + a, with a = 2x: dy/dx = (2a + 1)·2.
    let x = Tensor([1.5]).requiringGrad()
    let a = x * 2
    (a * a + a).sum().backward()
    #expect(x.gradient == [(2 * 3 + 1) * 2])
  }

  @Test func intermediateResultsDoNotKeepGradients() {
    let x = Tensor([1, 2]).requiringGrad()
    let hidden = x.exp()
    hidden.sum().backward()
    #expect(hidden.gradient == nil)
    #expect(x.gradient != nil)
  }

  @Test func nothingIsRecordedWithoutGradient() {
    let w = Tensor([1, 2]).requiringGrad()
    let y = withoutGradient { (w * w).sum() }
    #expect(!y.requiresGrad)
    // Recording resumes outside.
    #expect((w * w).sum().requiresGrad)
  }

  @Test func detachedTensorsStopTheGradient() {
    let w = Tensor([3]).requiringGrad()
    let y = (w * w.detached()).sum()
    y.backward()
    #expect(w.gradient == [3])
  }

  @Test func constantsNeedNoGradient() {
    let c = Tensor([1, 2])
    let y = (c * c).sum()
    #expect(!y.requiresGrad)
    y.backward()  // a no-op, not a crash
    #expect(c.gradient == nil)
  }

  @Test func deepChainsDoNotOverflowTheStack() {
    let x = Tensor([0.5]).requiringGrad()
    var y = x
    for _ in 0..<20_000 { y = y + 0 }
    y.sum().backward()
    #expect(x.gradient == [1])
  }

  @Test func broadcastingFollowsNumPy() {
    let a = Tensor(shape: [2, 1, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [4, 1], scalars: [10, 20, 30, 40])
    let c = a + b
    #expect(c.shape == [2, 4, 3])
    #expect(Array(c.scalars.prefix(6)) == [11, 12, 13, 21, 22, 23])
    #expect(Array(c.scalars.suffix(3)) == [44, 45, 46])
  }

  @Test func reductionsAndShapes() {
    let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
    #expect(x.sum(alongAxes: [0]).scalars == [5, 7, 9])
    #expect(x.max(alongAxes: [1]).scalars == [5, 6])
    #expect(x.mean(alongAxes: [1], keepingAxes: true).shape == [2, 1])
    #expect(x.transposed().scalars == [1, 4, 5, 2, 3, 6])
    #expect(x.argmaxLastAxis() == [1, 2])
    #expect(Tensor.concatenate([x, x], alongAxis: 1).shape == [2, 6])
    #expect(x.reshaped([-1]).shape == [6])
    #expect(Tensor.oneHot([2, 0], depth: 3).scalars == [0, 0, 1, 1, 0, 0])
  }

  @Test func softmaxRowsSumToOneEvenForLargeLogits() {
    let y = Tensor([[1000, 1001, 1002], [-5, 0, 5]]).softmax()
    for row in 0..<2 {
      let total = y.scalars[(row * 3)..<(row * 3 + 3)].reduce(0, +)
      #expect(Swift.abs(total - 1) < 1e-6)
    }
    #expect(!Tensor([[1000, -1000]]).logSoftmax().scalars.contains { $0.isNaN })
  }

  @Test func dropoutIsSeededAndScales() {
    let x = Tensor.ones([1000])
    let a = x.dropout(rate: 0.25, generator: RandomGenerator(seed: 9))
    let b = x.dropout(rate: 0.25, generator: RandomGenerator(seed: 9))
    #expect(a.scalars == b.scalars)
    #expect(Set(a.scalars) == [0, Float(1) / 0.75])
    let kept = a.scalars.filter { $0 > 0 }.count
    #expect((700..<800).contains(kept))
  }
}

@Suite(.onEveryBackend) struct ActivationEdgeTests {
  @Test func reluOfNegativeInfinityIsZero() {
    let y = Tensor([-Float.infinity, -1, 0, 2]).relu()
    #expect(y.scalars == [0, 0, 0, 2])
    #expect(y.scalars[0].sign == .plus)
  }
}
