import PlaygroundCore
import PlaygroundNN
import Testing

/// The exponential moving average of weights, by hand.
@Suite(.onOneBackend) struct MovingAverageTests {
  @Test func theAverageMovesByOneMinusTheDecay() {
    let network = GroupNorm(groups: 1, channels: 2)
    let copy = GroupNorm(groups: 1, channels: 2)
    copy.weight.scalars = [9, 9]
    let ema = ExponentialMovingAverage(of: network, into: copy, decay: 0.75)
    #expect(copy.weight.scalars == [1, 1])
    network.weight.scalars = [3, -1]
    ema.update()
    // 0.75 · 1 + 0.25 · 3 = 1.5; 0.75 · 1 + 0.25 · (−1) = 0.5
    #expect(copy.weight.scalars == [1.5, 0.5])
    ema.update()
    #expect(copy.weight.scalars == [1.875, 0.125])
  }

  /// Warm-up: update n uses min(decay, (1 + n) / (10 + n)) — 0.1, then 2/11.
  @Test func warmUpStartsWithASmallDecay() {
    let network = GroupNorm(groups: 1, channels: 1)
    let copy = GroupNorm(groups: 1, channels: 1)
    let ema = ExponentialMovingAverage(of: network, into: copy, decay: 0.999, warmup: true)
    network.weight.scalars = [11]
    ema.update()
    #expect(abs(copy.weight.scalars[0] - (0.1 * 1 + 0.9 * 11)) < 1e-5)
    network.weight.scalars = [0]
    ema.update()
    #expect(abs(copy.weight.scalars[0] - Float(2) / 11 * 10) < 1e-5)
    #expect(ema.updates == 2)
  }
}
