import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundEnvironments
import PlaygroundImage
import PlaygroundNN

/// The readers fuzzed, by the name `FUZZ_TARGET` gives. Each must end every input with a value
/// or a thrown error: a trap, a leak or a hang is a finding.
enum Targets {
  static let all: [String: @Sendable (Data) -> Void] = [
    "png": { _ = try? PNG.decode($0) },
    "idx": { data in
      _ = try? IDX.parse(data, expectedMagic: 0x0803)
      if Gzip.isCompressed(data) {
        _ = try? Gzip.decompress(data, check: IDX.declaredSize)
      }
    },
    "safetensors": { data in
      guard let contents = try? SafeTensors.decode(data) else { return }
      // The optimizer state reader on top, as a resumed run uses it.
      _ = try? OptimizerState(
        contents, prefix: "adam", buffers: Adam.bufferNames,
        sizes: contents.tensors.map(\.tensor.count))
    },
    "config": { data in
      guard let text = String(data: data, encoding: .utf8) else { return }
      _ = try? GridWorldSettings.decode(yaml: text, source: "fuzz", defaults: GridWorldSettings())
    },
    "map": { data in
      guard let text = String(data: data, encoding: .utf8) else { return }
      _ = try? GridMap(text)
    },
  ]
}
