import Foundation
import PlaygroundCore
import PlaygroundNN

/// What `playground export` writes of a run: its weights as safetensors, itself as an ONNX
/// model, and inputs with its outputs for them, which `scripts/check-onnx` compares with an ONNX
/// runtime's.
public protocol ExportedModel {
  /// What it is, for messages and the model's metadata, e.g. `cnn classifier`.
  var description: String { get }
  /// Its weights: the safetensors form, and the parameter count.
  var weights: any Layer { get }
  /// The ONNX model's bytes, with `metadata` (the run's config and kind).
  /// - Throws: ``PlaygroundExport/ONNXExport/Unsupported`` for a part without an ONNX form.
  func onnx(name: String, metadata: [(String, String)]) throws -> Data
  /// `images` (or `count` inputs drawn with `seed`) and the model's outputs for them, as named
  /// tensors; the metadata names each ONNX input and output (`input`, `output`, and `label` or
  /// `time` where the model has them).
  func checkData(count: Int, seed: UInt64, images: Tensor?) -> SafeTensors.Contents
}
