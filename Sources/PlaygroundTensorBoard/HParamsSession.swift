import Foundation
import SwiftProtobuf

/// The value of one setting in TensorBoard's HParams dashboard.
public enum HParamValue: Sendable, Equatable {
  case number(Double)
  case text(String)
  case flag(Bool)

  /// A value written as YAML text in a sweep or study (`0.001`, `adam`, `true`): a number or a
  /// flag when it reads as one, else the text.
  public init(reading text: String) {
    if let number = Double(text), number.isFinite {
      self = .number(number)
    } else if text == "true" || text == "false" {
      self = .flag(text == "true")
    } else {
      self = .text(text)
    }
  }

  var protobufValue: Google_Protobuf_Value {
    switch self {
    case .number(let value): return Google_Protobuf_Value(numberValue: value)
    case .text(let value): return Google_Protobuf_Value(stringValue: value)
    case .flag(let value): return Google_Protobuf_Value(boolValue: value)
    }
  }

  var dataType: Tensorboard_Hparams_DataType {
    switch self {
    case .number: return .float64
    case .text: return .string
    case .flag: return .bool
    }
  }
}

/// How a session (one run of a sweep or study) ended, as the HParams dashboard shows it.
public enum SessionStatus: Sendable {
  case success, failure, running, unknown

  var protobufValue: Tensorboard_Hparams_Status {
    switch self {
    case .success: return .success
    case .failure: return .failure
    case .running: return .running
    case .unknown: return .unknown
    }
  }
}

/// The values a setting takes in an experiment.
public enum HParamDomain: Sendable {
  /// These values (a sweep's, a study's choice).
  case values([HParamValue])
  /// Numbers in this interval (a study's range).
  case interval(ClosedRange<Double>)
}

/// What the HParams dashboard lists for a sweep or a study: the settings that vary with the
/// values they take, and the metrics (scalar tags of its runs) to show beside them.
public struct HParamsExperiment: Sendable {
  /// Each varied setting with its values, in the order they were swept or sampled.
  public var hparams: [(name: String, domain: HParamDomain)]
  /// Scalar tags of the runs, each with the name shown.
  public var metrics: [(tag: String, displayName: String)]

  public init(
    hparams: [(name: String, domain: HParamDomain)], metrics: [(tag: String, displayName: String)]
  ) {
    self.hparams = hparams
    self.metrics = metrics
  }
}

extension EventFile {
  /// The HParams plugin's tags (TensorBoard's `tensorboard/plugins/hparams/metadata.py`).
  enum HParamsTag {
    static let experiment = "_hparams_/experiment"
    static let sessionStart = "_hparams_/session_start_info"
    static let sessionEnd = "_hparams_/session_end_info"
  }

  /// Marks the file's run as one session of an experiment with these settings.
  public func writeSessionStart(
    hparams: [String: HParamValue], group: String = "", date: Date = Date()
  ) throws {
    var start = Tensorboard_Hparams_SessionStartInfo()
    start.hparams = hparams.mapValues(\.protobufValue)
    start.groupName = group
    start.startTimeSecs = date.timeIntervalSince1970
    try writeHParams(HParamsTag.sessionStart, date: date) { $0.sessionStartInfo = start }
  }

  /// Ends the session with `status`.
  public func writeSessionEnd(_ status: SessionStatus, date: Date = Date()) throws {
    var end = Tensorboard_Hparams_SessionEndInfo()
    end.status = status.protobufValue
    end.endTimeSecs = date.timeIntervalSince1970
    try writeHParams(HParamsTag.sessionEnd, date: date) { $0.sessionEndInfo = end }
  }

  /// The experiment's summary: its settings and metrics (in the sweep's or study's folder).
  public func writeExperiment(_ experiment: HParamsExperiment, date: Date = Date()) throws {
    var summary = Tensorboard_Hparams_Experiment()
    summary.timeCreatedSecs = date.timeIntervalSince1970
    summary.hparamInfos = experiment.hparams.map { hparam in
      var info = Tensorboard_Hparams_HParamInfo()
      info.name = hparam.name
      switch hparam.domain {
      case .interval(let range):
        info.type = .float64
        info.domainInterval = .with {
          $0.minValue = range.lowerBound
          $0.maxValue = range.upperBound
        }
      case .values(let values):
        info.type = values.first?.dataType ?? .unset
        // Values of mixed types are shown as text.
        if values.contains(where: { $0.dataType != info.type }) { info.type = .string }
        let shown = values.map { value -> Google_Protobuf_Value in
          guard info.type == .string, case .number(let number) = value else {
            return value.protobufValue
          }
          return Google_Protobuf_Value(stringValue: MetricsText.format(number))
        }
        info.domainDiscrete = Google_Protobuf_ListValue(values: shown)
      }
      return info
    }
    summary.metricInfos = experiment.metrics.map { metric in
      var info = Tensorboard_Hparams_MetricInfo()
      info.name = .with { $0.tag = metric.tag }
      info.displayName = metric.displayName
      return info
    }
    try writeHParams(HParamsTag.experiment, date: date) { $0.experiment = summary }
  }

  private func writeHParams(
    _ tag: String, date: Date, _ fill: (inout Tensorboard_Hparams_HParamsPluginData) -> Void
  ) throws {
    var data = Tensorboard_Hparams_HParamsPluginData()
    data.version = 0
    fill(&data)
    let content: Data
    do {
      content = try data.serializedBytes()
    } catch {
      throw EventFileError(url, operation: "encode hparams for", code: EINVAL)
    }
    // As TensorBoard's own `hparams.summary_v2` writes them: the plugin data in the metadata,
    // a null scalar tensor as the value.
    let value = Tensorboard_Summary.Value.with {
      $0.tag = tag
      $0.metadata = .with {
        $0.pluginData = .with {
          $0.pluginName = "hparams"
          $0.content = content
        }
      }
      $0.tensor = .with {
        $0.dtype = .dtFloat
        $0.tensorShape = .init()
        $0.floatVal = [0]
      }
    }
    try write([value], step: 0, date: date)
  }
}

/// Numbers as text in the way the runs' CSV tables write them (up to 6 significant digits).
enum MetricsText {
  static func format(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: "%.6g", value)
  }
}
