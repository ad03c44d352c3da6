import Foundation
import PlaygroundCore
import Testing
import TestSupport

/// Misuse stops the process with a message that names the shapes or the value.
@Suite(.onOneBackend) struct BadInputTests {
  @Test func mismatchedShapesNameBothShapes() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }.map { result in
      let message = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(message.contains("[2, 3]") && message.contains("[4]"))
    }
  }

  @Test func matmulNamesTheShapes() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([2, 3]))
    }.map { result in
      let message = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(message.contains("matmul needs [m, k] · [k, n], got [2, 3] · [2, 3]"))
    }
  }

  @Test func invalidDropoutRateNamesTheValue() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2]).dropout(rate: 1.5, generator: RandomGenerator(seed: 0))
    }.map { result in
      let message = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(message.contains("dropout rate must be in [0, 1), got 1.5"))
    }
  }

  @Test func backwardFromANonScalarIsRefused() async {
    await #expect(processExitsWith: .failure) {
      Tensor.zeros([3], requiresGrad: true).exp().backward()
    }
  }
}

/// Values read from files are checked before they are used.
@Suite(.onOneBackend) struct HostileFileTests {
  /// A header's dimensions that multiply past Int.max: an error naming the tensor.
  @Test func safetensorsShapesThatOverflowAreAnError() {
    let header = #"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}"#
    var data = Data()
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(contentsOf: Array(header.utf8))
    #expect { try SafeTensors.decode(data) } throws: { "\($0)".contains("too large") }
  }

  /// All-zero words are the one state xoshiro256** never leaves: refused when read.
  @Test func anAllZeroRandomStateIsRefused() {
    #expect(RandomGenerator.Snapshot("0 0 0 0") == nil)
    #expect(RandomGenerator.Snapshot("0 0 0 1") != nil)
  }
}
