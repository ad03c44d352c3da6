import Foundation
import SwiftProtobuf

/// One TensorBoard event file, `events.out.tfevents.<seconds>.<host>.<pid>.<n>` as PyTorch's
/// `SummaryWriter` names them, written as a run goes: its scalars, pictures, settings text and
/// HParams session, so that `tensorboard --logdir outputs` shows the run live. Records are
/// TFRecord-framed `tensorboard.Event` messages (``TFRecordWriter``), the first one
/// `file_version: "brain.Event:2"`; each call appends its event at once (no buffering), so a
/// reader sees it as soon as it returns. Safe to call from any thread.
public final class EventFile: @unchecked Sendable {
  /// The file's path.
  public var url: URL { writer.url }
  private let writer: TFRecordWriter
  private let lock = NSLock()

  /// Creates a new event file in `folder` (which must exist), named after `date`, this host
  /// and process, and a number unique within the process.
  /// - Throws: ``EventFileError`` when the file cannot be created.
  public init(in folder: URL, date: Date = Date()) throws {
    let number = Self.counter.withLock { count -> Int in
      defer { count += 1 }
      return count
    }
    let name = String(
      format: "events.out.tfevents.%010d.%@.%d.%d", Int(date.timeIntervalSince1970),
      ProcessInfo.processInfo.hostName, getpid(), number)
    writer = try TFRecordWriter(creating: folder.appendingPathComponent(name))
    var event = Tensorboard_Event()
    event.wallTime = date.timeIntervalSince1970
    event.fileVersion = "brain.Event:2"
    try append(event)
  }

  private static let counter = Counter()

  /// Whether `name` is the name of an event file.
  public static func isEventFile(_ name: String) -> Bool {
    name.hasPrefix("events.out.tfevents.")
  }

  /// Scalars at `step`, one event: each value as TensorBoard's `simple_value` (32-bit). NaN
  /// values (a figure not measured at this step) are left out.
  public func write(scalars: [(tag: String, value: Double)], step: Int, date: Date = Date())
    throws
  {
    try write(scalarSteps: [(step, scalars)], date: date)
  }

  /// Scalars at several steps (a table's rows), one event per step, appended at once.
  public func write(
    scalarSteps: [(step: Int, scalars: [(tag: String, value: Double)])], date: Date = Date()
  ) throws {
    var records = Data()
    for (step, scalars) in scalarSteps {
      records.append(try record(scalars: scalars, step: step, date: date))
    }
    try append(records: records)
  }

  /// The record of scalars at `step`, to append later with others (``append(records:)``);
  /// empty when every value is NaN.
  public func record(scalars: [(tag: String, value: Double)], step: Int, date: Date = Date())
    throws -> Data
  {
    let values = scalars.filter { !$0.value.isNaN }.map { scalar in
      Tensorboard_Summary.Value.with {
        $0.tag = scalar.tag
        $0.simpleValue = Float(scalar.value)
      }
    }
    guard !values.isEmpty else { return Data() }
    return TFRecordWriter.frame(try encode(event(values, step: step, date: date)))
  }

  /// Appends records made by ``record(scalars:step:date:)``, at once.
  public func append(records: Data) throws {
    guard !records.isEmpty else { return }
    try lock.withLock { try writer.append(framed: records) }
  }

  /// A PNG picture at `step` under `tag`, its bytes as they are (`Summary.Image`).
  public func write(png: Data, tag: String, step: Int, date: Date = Date()) throws {
    let (width, height) = Self.pngSize(png)
    let value = Tensorboard_Summary.Value.with {
      $0.tag = tag
      $0.image = .with {
        $0.width = width
        $0.height = height
        $0.colorspace = Self.pngColorspace(png)
        $0.encodedImageString = png
      }
    }
    try write([value], step: step, date: date)
  }

  /// Markdown text at `step` under `tag`, as the text plugin reads it (a string tensor).
  public func write(text: String, tag: String, step: Int, date: Date = Date()) throws {
    let value = Tensorboard_Summary.Value.with {
      $0.tag = tag
      $0.metadata = .with {
        $0.pluginData = .with { $0.pluginName = "text" }
        $0.dataClass = .tensor
      }
      $0.tensor = .with {
        $0.dtype = .dtString
        $0.tensorShape = .init()
        $0.stringVal = [Data(text.utf8)]
      }
    }
    try write([value], step: step, date: date)
  }

  /// Values of a summary at `step`, one event.
  func write(_ values: [Tensorboard_Summary.Value], step: Int, date: Date) throws {
    try append(event(values, step: step, date: date))
  }

  private func event(_ values: [Tensorboard_Summary.Value], step: Int, date: Date)
    -> Tensorboard_Event
  {
    var event = Tensorboard_Event()
    event.wallTime = date.timeIntervalSince1970
    event.step = Int64(step)
    event.summary = .with { $0.value = values }
    return event
  }

  private func encode(_ event: Tensorboard_Event) throws -> Data {
    do {
      return try event.serializedBytes()
    } catch {
      throw EventFileError(url, operation: "encode an event for", code: EINVAL)
    }
  }

  private func append(_ event: Tensorboard_Event) throws {
    let data = try encode(event)
    try lock.withLock { try writer.append(data) }
  }

  /// Closes the file; later writes fail.
  public func close() {
    lock.withLock { writer.close() }
  }

  /// Width and height from a PNG's IHDR chunk (0 when `png` is not one).
  static func pngSize(_ png: Data) -> (Int32, Int32) {
    guard png.count >= 24 else { return (0, 0) }
    func word(_ at: Int) -> Int32 {
      let start = png.startIndex + at
      return png[start..<start + 4].reduce(0) { Int32(truncatingIfNeeded: $0 << 8) | Int32($1) }
    }
    return (word(16), word(20))
  }

  /// TensorBoard's colorspace: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (from the PNG's colour type).
  static func pngColorspace(_ png: Data) -> Int32 {
    guard png.count >= 26 else { return 0 }
    switch png[png.startIndex + 25] {
    case 0: return 1
    case 4: return 2
    case 2, 3: return 3
    case 6: return 4
    default: return 0
    }
  }
}

/// A number that counts up across threads.
final class Counter: @unchecked Sendable {
  private var value = 0
  private let lock = NSLock()

  func withLock<T>(_ body: (inout Int) -> T) -> T {
    lock.withLock { body(&value) }
  }
}
