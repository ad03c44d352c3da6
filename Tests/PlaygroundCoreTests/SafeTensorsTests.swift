import Foundation
import PlaygroundCore
import TestSupport
import Testing

@Suite(.onOneBackend) struct SafeTensorsTests {
  static var sample: SafeTensors.Contents {
    SafeTensors.Contents(
      tensors: [
        ("layers.0.weight", Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, .pi, -1e-8])),
        ("layers.0.bias", Tensor([0.25, -0.5])),
        ("scalar", Tensor(7)),
      ],
      metadata: ["format": "pt"])
  }

  @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
    let decoded = try SafeTensors.decode(SafeTensors.encode(Self.sample))
    #expect(decoded.tensors.map(\.name) == Self.sample.tensors.map(\.name))
    for ((_, a), (_, b)) in zip(decoded.tensors, Self.sample.tensors) {
      #expect(a.shape == b.shape && a.scalars == b.scalars)
    }
    #expect(decoded.metadata == ["format": "pt"])
  }

  /// A quantised weight stored as `I8`: one byte per value, two's complement, read back as the
  /// same integers.
  @Test func int8TensorsTakeOneByteEach() throws {
    let weight = Tensor(shape: [2, 3], scalars: [-128, -1, 0, 1, 64, 127])
    let contents = SafeTensors.Contents(
      tensors: [("w", weight), ("scale", Tensor([0.5, 0.25]))], elementTypes: ["w": .int8])
    let data = SafeTensors.encode(contents)
    let decoded = try SafeTensors.decode(data)
    #expect(decoded["w"]?.scalars == weight.scalars && decoded["w"]?.shape == [2, 3])
    #expect(decoded.elementType(of: "w") == .int8 && decoded.elementType(of: "scale") == .float32)
    #expect(Array(data.suffix(8 + 6).prefix(6)) == [0x80, 0xFF, 0x00, 0x01, 0x40, 0x7F])
  }

  @Test func layoutFollowsTheFormat() throws {
    let data = SafeTensors.encode(Self.sample)
    let headerLength = Int(
      data.prefix(8).enumerated().reduce(UInt64(0)) {
        $0 | UInt64($1.element) << (8 * UInt64($1.offset))
      })
    #expect(headerLength % 8 == 0)
    let header = try #require(
      try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength)))
        as? [String: Any])
    let bias = try #require(header["layers.0.bias"] as? [String: Any])
    #expect(bias["dtype"] as? String == "F32")
    #expect(bias["shape"] as? [Int] == [2])
    #expect(bias["data_offsets"] as? [Int] == [24, 32])
    // 0.25 as little-endian IEEE 754 at the start of the bias's bytes.
    let start = 8 + headerLength + 24
    #expect(Array(data[start..<(start + 4)]) == [0x00, 0x00, 0x80, 0x3E])
    #expect(data.count == 8 + headerLength + 36)
  }

  @Test(arguments: [
    (Data([1, 2, 3]), "shorter than the 8-byte header length"),
    (Data([200, 0, 0, 0, 0, 0, 0, 0]) + Data("{}".utf8), "exceeds"),
    (Data([4, 0, 0, 0, 0, 0, 0, 0]) + Data("[1] ".utf8), "not a JSON object"),
  ])
  func malformedFilesAreErrors(data: Data, expected: String) {
    #expect { try SafeTensors.decode(data) } throws: { error in
      (error as? SafeTensorsError)?.message.contains(expected) == true
    }
  }

  @Test func truncatedDataIsAnError() {
    let data = SafeTensors.encode(Self.sample)
    #expect { try SafeTensors.decode(data.prefix(data.count - 5)) } throws: { error in
      (error as? SafeTensorsError)?.message.contains("truncated") == true
    }
  }

  @Test func everyPrefixOfAFileIsRejectedWithoutCrashing() {
    let data = SafeTensors.encode(Self.sample)
    for length in 0..<data.count {
      #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(data.prefix(length)) }
    }
  }

  /// A safetensors file of this header (padded to 8 bytes) and `payload` zero bytes of data.
  static func file(_ header: String, payload: Int) -> Data {
    var json = Data(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Data($0) } + json
      + Data(count: payload)
  }

  @Test func wrongDtypeAndInconsistentOffsetsAreNamed() throws {
    let f16 = Self.file(#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, payload: 4)
    #expect { try SafeTensors.decode(f16) } throws: {
      ($0 as? SafeTensorsError)?.message.contains("dtype F16") == true
    }
    let short = Self.file(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, payload: 8)
    #expect { try SafeTensors.decode(short) } throws: {
      ($0 as? SafeTensorsError)?.message.contains("needs 12 bytes") == true
    }
  }

  /// The tensors' bytes must follow one another from the first data byte to the last, and no
  /// name may appear twice (JSON readers keep one of them silently).
  @Test func overlapsGapsAndRepeatedNamesAreRefused() throws {
    let cases = [
      (
        #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        12, "overlaps"
      ),
      (
        #"{"a":{"dtype":"I8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"I8","shape":[4],"data_offsets":[8,12]}}"#,
        12, "belong to no tensor"
      ),
      (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 20, "belong to no tensor"),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
        8, "names 'w' twice"
      ),
      (
        #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "w" :{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
        8, "names 'w' twice"
      ),
    ]
    for (header, payload, expected) in cases {
      #expect { try SafeTensors.decode(Self.file(header, payload: payload)) } throws: {
        ($0 as? SafeTensorsError)?.message.contains(expected) == true
      }
    }
    // Zero-size tensors sit between the others.
    let empty = Self.file(
      #"{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
      payload: 4)
    #expect(try SafeTensors.decode(empty).tensors.count == 2)
  }

  /// A header longer than any checkpoint's is refused before JSON parsing takes its memory.
  @Test func aHeaderPastTheLimitIsRefusedBeforeParsing() {
    let length = SafeTensors.maximumHeaderBytes + 1
    var data = Data((0..<8).map { UInt8((length >> (8 * $0)) & 0xFF) })
    data.append(Data(repeating: 0x20, count: length))
    #expect { try SafeTensors.decode(data) } throws: {
      "\($0)".contains("at most 4 MiB is read")
    }
  }

  @Test func missingFileIsAnError() {
    #expect(throws: SafeTensorsError.self) {
      try SafeTensors.read(from: URL(fileURLWithPath: "/nonexistent/model.safetensors"))
    }
  }
}
