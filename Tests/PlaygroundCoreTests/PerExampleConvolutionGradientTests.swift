import PlaygroundCore
import TestSupport
import Testing

/// Each example's convolution weight gradient (DP-SGD's), formed from the example's patches,
/// equals that example's own backward pass: with the padding copied in on the stack, without
/// padding, with kernel widths the patches code has no fixed-size copy for, and for an image too
/// large to copy (its rows clipped instead).
@Suite(.onEveryBackend) struct PerExampleConvolutionGradientTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [Int]
    let weight: [Int]
    let stride: Int
    let padding: Int
    var testDescription: String { name }
  }

  static let cases: [Case] = [
    Case(
      name: "Opacus's first layer", input: [3, 1, 28, 28], weight: [4, 1, 8, 8], stride: 2,
      padding: 3),
    Case(name: "no padding", input: [3, 4, 13, 13], weight: [5, 4, 4, 4], stride: 2, padding: 0),
    Case(
      name: "width 2, padded", input: [2, 3, 9, 7], weight: [3, 3, 2, 2], stride: 1, padding: 1),
    Case(
      name: "width 6, no padding", input: [2, 2, 11, 11], weight: [3, 2, 6, 6], stride: 3,
      padding: 0),
    Case(
      name: "too large to copy", input: [2, 12, 30, 30], weight: [2, 12, 3, 3], stride: 2,
      padding: 2),
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
