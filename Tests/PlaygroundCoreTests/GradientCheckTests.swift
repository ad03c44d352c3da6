import PlaygroundCore
import TestSupport
import Testing

/// Finite-difference checks of every operation's derivative, on non-square and batched shapes.
@Suite(.onEveryBackend) struct GradientCheckTests {
  /// How test inputs are drawn, so that finite differences never straddle a kink.
  enum Inputs: Sendable {
    /// Normal samples pushed at least 0.1 away from 0 (relu, abs, clamp).
    case normal
    /// At least 0.2 (log, sqrt).
    case positive
    /// Shuffled multiples of 0.1, so no two are within a step of each other (max, max-pool).
    case distinct
  }

  static func input(_ shape: [Int], seed: UInt64, _ kind: Inputs) -> Tensor {
    let rng = RandomGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values: [Float]
    switch kind {
    case .distinct:
      // Offset by input so that two inputs never tie either.
      values = rng.permutation(count).map { Float($0 - count / 2) * 0.1 + Float(seed) * 0.033 }
    case .normal, .positive:
      values = (0..<count).map { _ -> Float in
        let x = rng.normal()
        let away = x + (x < 0 ? -0.1 : 0.1)
        return kind == .positive ? Swift.abs(away) + 0.2 : away
      }
    }
    return Tensor(shape: shape, scalars: values).requiringGrad()
  }

  typealias Case = (shapes: [[Int]], inputs: Inputs, apply: @Sendable ([Tensor]) -> Tensor)

  static let cases: [String: Case] = [
    "add broadcast row": ([[3, 4], [4]], .normal, { $0[0] + $0[1] }),
    "subtract broadcast both": ([[2, 1, 3], [4, 1]], .normal, { $0[0] - $0[1] }),
    "multiply scalar tensor": ([[2, 3], []], .normal, { $0[0] * $0[1] }),
    "divide column": ([[3, 5], [3, 1]], .normal, { $0[0] / ($0[1].abs() + 0.5) }),
    "maximum": ([[4, 3], [4, 3]], .distinct, { Tensor.maximum($0[0], $0[1]) }),
    "minimum broadcast": ([[4, 3], [3]], .distinct, { Tensor.minimum($0[0], $0[1]) }),
    "float operators": ([[2, 5]], .normal, { 2 - ($0[0] * 3 + 1) / 4 }),
    "exp": ([[3, 2]], .normal, { $0[0].exp() }),
    "log": ([[3, 2]], .positive, { $0[0].log() }),
    "sqrt": ([[2, 3]], .positive, { $0[0].sqrt() }),
    "squared": ([[2, 3]], .normal, { $0[0].squared() }),
    "abs": ([[2, 3]], .normal, { $0[0].abs() }),
    "relu": ([[3, 4]], .normal, { $0[0].relu() }),
    "leaky relu": ([[3, 4]], .normal, { $0[0].leakyRelu(negativeSlope: 0.2) }),
    "tanh": ([[3, 4]], .normal, { $0[0].tanh() }),
    "sigmoid": ([[3, 4]], .normal, { $0[0].sigmoid() }),
    "softplus": ([[3, 4]], .normal, { $0[0].softplus() }),
    "clamped": (
      [[3, 4]], .normal, { $0[0].clamped(to: -0.05...0.05) + $0[0].clamped(to: -3...3) }
    ),
    "sum all": ([[2, 3, 4]], .normal, { $0[0].sum() }),
    "sum axes": ([[2, 3, 4]], .normal, { $0[0].sum(alongAxes: [0, 2]) }),
    "sum negative axis keeping": (
      [[2, 3, 4]], .normal, { $0[0].sum(alongAxes: [-1], keepingAxes: true) }
    ),
    "mean axis": ([[3, 5]], .normal, { $0[0].mean(alongAxes: [1]) }),
    "mean all": ([[3, 5]], .normal, { $0[0].mean() }),
    "max axis": ([[3, 5]], .distinct, { $0[0].max(alongAxes: [1]) }),
    "max axis 0 of 3-D": (
      [[4, 2, 3]], .distinct, { $0[0].max(alongAxes: [0], keepingAxes: true) }
    ),
    "matmul non-square": ([[3, 5], [5, 2]], .normal, { $0[0].matmul($0[1]) }),
    "linear without bias": (
      [[4, 3], [5, 3]], .normal, { $0[0].linear(weight: $0[1], bias: nil) }
    ),
    "linear batched": (
      [[6, 3], [2, 3], [2]], .normal, { $0[0].linear(weight: $0[1], bias: $0[2]) }
    ),
    "softmax axis 0": ([[3, 4]], .normal, { $0[0].softmax(alongAxis: 0) }),
    "softmax middle axis": ([[2, 3, 2]], .normal, { $0[0].softmax(alongAxis: 1) }),
    "log softmax": ([[3, 5]], .normal, { $0[0].logSoftmax() }),
    "log softmax axis 1 of 3-D": ([[2, 4, 3]], .normal, { $0[0].logSoftmax(alongAxis: 1) }),
    "reshape": ([[2, 6]], .normal, { $0[0].reshaped([3, -1]) * $0[0].reshaped([3, 4]).exp() }),
    "flatten": ([[2, 3, 2]], .normal, { $0[0].flattened().tanh() }),
    "permute 3-D": ([[2, 3, 4]], .normal, { $0[0].permuted([2, 0, 1]) }),
    "transpose": ([[3, 5]], .normal, { $0[0].transposed() }),
    "concatenate axis 1": (
      [[2, 3], [2, 1], [2, 2]], .normal, { Tensor.concatenate($0, alongAxis: 1) }
    ),
    "concatenate axis 0": ([[1, 3], [2, 3]], .normal, { Tensor.concatenate($0, alongAxis: 0) }),
    "gather columns": ([[4, 3]], .normal, { $0[0].gathering(columns: [2, 0, 1, 2]) }),
    "select rows with repeats": ([[3, 2]], .normal, { $0[0].selecting(rows: [2, 0, 2, 1]) }),
    "narrow the middle axis": ([[2, 5, 3]], .normal, { $0[0].narrowed(alongAxis: 1, 1..<4) }),
    "narrow the last axis": ([[3, 4]], .normal, { $0[0].narrowed(alongAxis: -1, 3..<4) }),
    "conv2d stride 2 pad 1 non-square": (
      [[2, 3, 5, 7], [4, 3, 3, 3], [4]], .normal,
      { $0[0].conv2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
    ),
    "conv2d rectangular kernel": (
      [[1, 2, 6, 5], [3, 2, 2, 3], [3]], .normal, { $0[0].conv2d(weight: $0[1], bias: $0[2]) }
    ),
    "conv transpose output padding": (
      [[2, 3, 3, 4], [3, 2, 3, 3], [2]], .normal,
      { $0[0].convTranspose2d(weight: $0[1], bias: $0[2], stride: 2, padding: 1, outputPadding: 1) }
    ),
    "conv transpose stride 1": (
      [[1, 2, 4, 3], [2, 3, 2, 2]], .normal, { $0[0].convTranspose2d(weight: $0[1]) }
    ),
    "max pool overlapping": ([[2, 2, 5, 4]], .distinct, { $0[0].maxPool2d(size: 2, stride: 1) }),
    "max pool 3": ([[1, 3, 6, 6]], .distinct, { $0[0].maxPool2d(size: 3) }),
    "batch norm 2-D": (
      [[6, 4], [4], [4]], .normal, { $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output }
    ),
    "batch norm 4-D": (
      [[3, 2, 3, 2], [2], [2]], .normal,
      { $0[0].batchNormalized(weight: $0[1], bias: $0[2]).output }
    ),
    "batch norm with statistics": (
      [[3, 2], [2], [2]], .normal,
      {
        $0[0].batchNormalized(weight: $0[1], bias: $0[2], statistics: ([0.1, -0.2], [1.5, 0.5]))
          .output
      }
    ),
    "dropout": (
      [[4, 5]], .normal, { $0[0].dropout(rate: 0.3, generator: RandomGenerator(seed: 7)) }
    ),
  ]

  @Test(arguments: cases.keys.sorted())
  func derivativeMatchesFiniteDifferences(_ name: String) throws {
    let (shapes, kind, apply) = try #require(Self.cases[name])
    let inputs = shapes.enumerated().map {
      Self.input($0.element, seed: UInt64($0.offset + 1), kind)
    }
    #expect(gradientCheck(inputs, apply) == nil, "\(name)")
  }
}
