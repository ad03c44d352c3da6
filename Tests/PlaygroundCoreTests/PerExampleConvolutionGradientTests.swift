import PlaygroundCore
import TestSupport
import Testing

/// Each example's convolution weight gradient (DP-SGD's), formed from the example's patches,
/// equals that example's own backward pass: with the padding copied in on the stack, without
/// padding, with kernel widths the patches code has no fixed-size copy for, and for an image too
/// large to copy (its rows clipped instead).
@Suite(.onEveryBackend) struct PerExampleConvolutionGradientTests {
  typealias Case = ComputeBackendTests.Case

  /// A plain convolution (no bias, not transposed), as DP-SGD traces it.
  static func plain(_ name: String, _ x: [Int], _ w: [Int], stride: Int, padding: Int) -> Case {
    Case(
      name: name, input: x, weight: w, transposed: false, stride: stride, padding: padding,
      outputPadding: 0, bias: false)
  }

  static let cases: [Case] = [
    plain("Opacus's first layer", [3, 1, 28, 28], [4, 1, 8, 8], stride: 2, padding: 3),
    plain("no padding", [3, 4, 13, 13], [5, 4, 4, 4], stride: 2, padding: 0),
    plain("width 2, padded", [2, 3, 9, 7], [3, 3, 2, 2], stride: 1, padding: 1),
    plain("width 6, no padding", [2, 2, 11, 11], [3, 2, 6, 6], stride: 3, padding: 0),
    plain("too large to copy", [2, 12, 30, 30], [2, 12, 3, 3], stride: 2, padding: 2),
  ]

  @Test(arguments: cases) func eachExampleMatchesItsOwnBackwardPass(_ c: Case) throws {
    let generator = RandomGenerator(seed: 4)
    let input = generator.normalTensor(c.input)
    let weight = generator.normalTensor(c.weight)
    let output = input.conv2d(weight: weight, stride: c.stride, padding: c.padding)
    let outputGradient = generator.normalTensor(output.shape).scalars
    let perExample = Tensor.conv2dWeightGradientPerExample(
      input: input, outputGradient: outputGradient, kernel: c.weight, stride: c.stride,
      padding: c.padding)
    let (examples, imageSize, gradientSize) =
      (c.input[0], input.count / c.input[0], output.count / c.input[0])
    for n in 0..<examples {
      let image = Tensor(
        shape: [1] + Array(c.input.dropFirst()),
        scalars: Array(input.scalars[n * imageSize..<(n + 1) * imageSize]))
      let trained = weight.detached().requiringGrad()
      let alone = image.conv2d(weight: trained, stride: c.stride, padding: c.padding)
      let seed = Tensor(
        shape: alone.shape,
        scalars: Array(outputGradient[n * gradientSize..<(n + 1) * gradientSize]))
      (alone * seed).sum().backward()
      let expected = trained.grad!.scalars.map(Double.init)
      let ours = Array(perExample[n * weight.count..<(n + 1) * weight.count])
      #expect(mismatch(ours, expected, relative: 1e-4, absolute: 1e-4) == nil, "example \(n)")
    }
  }
}
