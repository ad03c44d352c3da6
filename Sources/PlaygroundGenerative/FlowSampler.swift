import PlaygroundCore

/// Draws images by integrating a learned velocity from noise at t = 0 to t = 1 in equal steps,
/// with classifier-free guidance: v = v_uncond + w · (v_cond − v_uncond) (Ho & Salimans, 2022),
/// optionally only at the times of an interval and the conditional velocity elsewhere
/// (Kynkäänniemi et al., 2024: guidance near the noise narrows the samples for little gain).
public struct FlowSampler {
  /// The velocity at points `x`, times (one per point) and labels (one per point).
  public typealias Velocity = (_ x: Tensor, _ times: [Float], _ labels: [Int]) -> Tensor

  public let velocity: Velocity
  /// The label that stands for "no label".
  public let unconditionalLabel: Int
  public let steps: Int
  public let method: FlowSamplerKind
  /// The guidance weight w (1: the conditional velocity alone; 0: the unconditional).
  public let guidance: Float
  /// The times t (0: noise, 1: image) at which guidance applies; elsewhere the velocity is the
  /// conditional one (w = 1). All of [0, 1] by default.
  public let guidanceInterval: ClosedRange<Float>

  public init(
    velocity: @escaping Velocity, unconditionalLabel: Int, steps: Int, method: FlowSamplerKind,
    guidance: Float, guidanceInterval: ClosedRange<Float> = 0...1
  ) {
    precondition(steps >= 1, "a sampler needs at least one step, got \(steps)")
    self.velocity = velocity
    self.unconditionalLabel = unconditionalLabel
    self.steps = steps
    self.method = method
    self.guidance = guidance
    self.guidanceInterval = guidanceInterval
  }

  /// A sampler of `network` (its averaged weights, normally), without recording gradients.
  public init(
    _ network: FlowUNet, steps: Int, method: FlowSamplerKind, guidance: Float,
    guidanceInterval: ClosedRange<Float> = 0...1
  ) {
    self.init(
      velocity: { x, t, labels in
        withoutGradient { network.velocity(x, times: t, labels: labels) }
      }, unconditionalLabel: network.unconditionalLabel, steps: steps, method: method,
      guidance: guidance, guidanceInterval: guidanceInterval)
  }

  /// The guided velocity: one network call on a doubled batch (conditional and unconditional
  /// halves), or one plain call when w is 0 or 1, `time` is outside the guidance interval, or
  /// every label is "no label".
  public func guidedVelocity(_ x: Tensor, time: Float, labels: [Int]) -> Tensor {
    let n = x.shape[0]
    let times = [Float](repeating: time, count: n)
    let none = [Int](repeating: unconditionalLabel, count: n)
    if guidance == 1 || labels == none || !guidanceInterval.contains(time) {
      return velocity(x, times, labels)
    }
    if guidance == 0 { return velocity(x, times, none) }
    let both = velocity(
      Tensor.concatenate([x, x], alongAxis: 0), times + times, labels + none)
    let half = x.count
    var v = [Float](repeating: 0, count: half)
    let w = guidance
    both.scalars.withUnsafeBufferPointer { b in
      for k in 0..<half { v[k] = b[half + k] + w * (b[k] - b[half + k]) }
    }
    return Tensor(shape: x.shape, scalars: v)
  }

  /// The images the flow carries `noise` to, with `labels` (one per image); `visit` sees the
  /// points after each step (step k of `steps`, at t = k / steps).
  public func sample(
    noise: Tensor, labels: [Int], visit: (_ step: Int, _ x: Tensor) -> Void = { _, _ in }
  ) -> Tensor {
    var x = noise.detached()
    let h = 1 / Float(steps)
    for k in 0..<steps {
      let t = Float(k) * h
      let v1 = guidedVelocity(x, time: t, labels: labels)
      switch method {
      case .euler:
        x = Self.step(x, v1, h)
      case .heun:
        let predicted = Self.step(x, v1, h)
        let v2 = guidedVelocity(predicted, time: Float(k + 1) * h, labels: labels)
        x = Self.step(x, Self.average(v1, v2), h)
      }
      visit(k + 1, x)
    }
    return x
  }

  /// `x + h · v`.
  static func step(_ x: Tensor, _ v: Tensor, _ h: Float) -> Tensor {
    Tensor(shape: x.shape, scalars: zip(x.scalars, v.scalars).map { $0 + h * $1 })
  }

  /// `(a + b) / 2`.
  static func average(_ a: Tensor, _ b: Tensor) -> Tensor {
    Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { ($0 + $1) * 0.5 })
  }
}
