import Foundation
import SwiftProtobuf

@testable import PlaygroundTensorBoard

/// The events of a TensorBoard event file as the tests read them back: TFRecord records whose
/// CRCs check, decoded as `tensorboard.Event`; reading stops at the first record that is cut
/// short or damaged, as TensorBoard's reader does.
public struct EventRecords {
  /// One event's content, flattened.
  public struct Entry {
    public var step: Int
    public var wallTime: Double
    public var fileVersion: String?
    public var scalars: [String: Float] = [:]
    public var images: [String: Data] = [:]
    public var texts: [String: String] = [:]
    /// HParams plugin data by tag (`_hparams_/session_start_info`, …), serialized.
    public var hparams: [String: Data] = [:]
  }

  public var entries: [Entry] = []
  /// Whether the file ended inside a record or at a damaged one.
  public var endedEarly = false

  public init(_ url: URL) throws {
    try self.init(data: Data(contentsOf: url))
  }

  public init(data: Data) {
    var at = data.startIndex
    while at < data.endIndex {
      guard data.endIndex - at >= 12 else {
        endedEarly = true
        break
      }
      let lengthBytes = data[at..<at + 8]
      let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard Self.word(data, at + 8) == TFRecordWriter.maskedCRC(Data(lengthBytes)),
        length <= UInt64(data.endIndex - at - 16)
      else {
        endedEarly = true
        break
      }
      let body = Data(data[at + 12..<at + 12 + Int(length)])
      guard Self.word(data, at + 12 + Int(length)) == TFRecordWriter.maskedCRC(body),
        let event = try? Tensorboard_Event(serializedBytes: body)
      else {
        endedEarly = true
        break
      }
      entries.append(Self.entry(event))
      at += 16 + Int(length)
    }
  }

  /// Every scalar under `tag` by step.
  public func scalars(_ tag: String) -> [Int: Float] {
    var values: [Int: Float] = [:]
    for entry in entries { if let value = entry.scalars[tag] { values[entry.step] = value } }
    return values
  }

  /// Every tag of a scalar.
  public var scalarTags: Set<String> { Set(entries.flatMap(\.scalars.keys)) }

  /// The settings of the HParams session the file starts, as text.
  public var sessionHParams: [String: String]? {
    guard
      let data = entries.lazy.compactMap({ $0.hparams[EventFile.HParamsTag.sessionStart] }).first,
      let plugin = try? Tensorboard_Hparams_HParamsPluginData(serializedBytes: data)
    else { return nil }
    return plugin.sessionStartInfo.hparams.mapValues { value in
      switch value.kind {
      case .numberValue(let number): return MetricsText.format(number)
      case .stringValue(let text): return text
      case .boolValue(let flag): return String(flag)
      default: return "?"
      }
    }
  }

  /// The status the session ended with (`success`, `failure`, …), if it ended.
  public var sessionStatus: String? {
    guard let data = entries.lazy.compactMap({ $0.hparams[EventFile.HParamsTag.sessionEnd] }).first,
      let plugin = try? Tensorboard_Hparams_HParamsPluginData(serializedBytes: data)
    else { return nil }
    return String(describing: plugin.sessionEndInfo.status)
  }

  /// The experiment's settings and metric tags, if the file holds one.
  public var experiment: (hparams: [String], metrics: [String])? {
    guard let data = entries.lazy.compactMap({ $0.hparams[EventFile.HParamsTag.experiment] }).first,
      let plugin = try? Tensorboard_Hparams_HParamsPluginData(serializedBytes: data)
    else { return nil }
    return (
      plugin.experiment.hparamInfos.map(\.name), plugin.experiment.metricInfos.map(\.name.tag)
    )
  }

  /// The names in `folder`, sorted, each event file's as `events.out.tfevents.*` (its name holds
  /// the time, host and process).
  public static func names(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).map {
      EventFile.isEventFile($0) ? "events.out.tfevents.*" : $0
    }.sorted()
  }

  /// The event files in `folder`.
  public static func files(in folder: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter(EventFile.isEventFile).sorted().map { folder.appendingPathComponent($0) }
  }

  private static func word(_ data: Data, _ at: Int) -> UInt32 {
    data[at..<at + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }

  private static func entry(_ event: Tensorboard_Event) -> Entry {
    var entry = Entry(step: Int(event.step), wallTime: event.wallTime)
    if case .fileVersion(let version) = event.what { entry.fileVersion = version }
    for value in event.summary.value {
      switch value.value {
      case .simpleValue(let number): entry.scalars[value.tag] = number
      case .image(let image): entry.images[value.tag] = image.encodedImageString
      case .tensor(let tensor) where value.metadata.pluginData.pluginName == "text":
        entry.texts[value.tag] = tensor.stringVal.first.map { String(decoding: $0, as: UTF8.self) }
      case .tensor where value.metadata.pluginData.pluginName == "hparams":
        entry.hparams[value.tag] = value.metadata.pluginData.content
      default: break
      }
    }
    return entry
  }
}
