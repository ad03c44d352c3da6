import Foundation
import PlaygroundClassifier
import PlaygroundCore
import PlaygroundData
import PlaygroundExport
import PlaygroundNN
import PlaygroundRuns

/// A kind whose runs hold a network that `playground export` writes (ONNX or safetensors).
public protocol ExportableRun: RunJob {
  /// The trained network of the run in `folder` (its settings already read as `self`).
  /// - Throws: ``PlaygroundConfig/RunError`` when its weights are missing or do not fit.
  func exportedNetwork(run folder: URL) throws -> any ExportedModel
  /// Inputs that check an export (`scripts/check-onnx`): real ones where the kind has them (a
  /// classifier's test images); `nil` for inputs the model draws itself.
  func checkInputs(run folder: URL, sources: DataSources, count: Int) throws -> Tensor?
}

extension ExportableRun {
  public func checkInputs(run folder: URL, sources: DataSources, count: Int) throws -> Tensor? {
    nil
  }
}

/// A kind whose networks `export --int8` quantises to 8-bit integers.
public protocol QuantizableRun: ExportableRun {
  /// The int8 form of the run in `folder`, calibrated on its training data.
  /// - Throws: ``PlaygroundConfig/RunError`` with one line when this run has no int8 form.
  func quantized(run folder: URL, sources: DataSources) throws -> any QuantizedRun
}

/// A run's network in int8, with how it compares to the float one.
public protocol QuantizedRun {
  /// The int8 network (quantised layers), for ONNX.
  var network: Sequential { get }
  /// The int8 checkpoint (`model-int8.safetensors`).
  func checkpoint() throws -> SafeTensors.Contents
  /// The comparison with the float network as printed lines and as `int8.json`.
  func comparison(floatBytes: Int, int8Bytes: Int) -> (lines: [String], json: [String: Any])
}

/// A kind whose runs `playground explain` draws: what the trained model bases its decisions on.
public protocol ExplainableRun: RunJob {
  /// Explains the run in `folder` as `request` asks, saying what it found and where it drew it.
  func explain(run folder: URL, _ request: ExplainRequest) throws
}

/// What `playground explain` asks for.
public struct ExplainRequest {
  /// One test image (from 0), or `nil` for the kind's choice.
  public var image: Int?
  /// One attribution method, or `nil` for all.
  public var method: AttributionMethod?
  /// Where to draw, or `nil` for the kind's file in the run folder.
  public var output: URL?
  public var sources: DataSources
  public var say: (String) -> Void

  public init(
    image: Int?, method: AttributionMethod?, output: URL?, sources: DataSources,
    say: @escaping (String) -> Void = { Swift.print($0) }
  ) {
    self.image = image
    self.method = method
    self.output = output
    self.sources = sources
    self.say = say
  }
}

/// A kind whose saved models `--watch` replays in the terminal.
public protocol ReplayableRun: RunJob {
  /// Plays one greedy episode of the model at `model` with these settings' environment.
  func replay(model: URL) throws
}

/// A kind whose runs `playground audit` attacks by membership inference: how much the trained
/// model gives away about which examples it was trained on.
public protocol AuditableRun: RunJob {
  /// Each attack's scores (higher: "member") for a balanced sample of up to `samples` of the
  /// run's training examples and as many held-out ones, drawn with `seed`.
  func membershipScores(run folder: URL, sources: DataSources, samples: Int, seed: UInt64) throws
    -> MembershipScores
}

/// What an ``AuditableRun`` hands the audit.
public struct MembershipScores {
  /// One attack: its name (for files and tables), what it scores, and the scores.
  public struct Attack {
    public var name: String
    public var description: String
    public var members: [Double]
    public var nonMembers: [Double]

    public init(name: String, description: String, members: [Double], nonMembers: [Double]) {
      self.name = name
      self.description = description
      self.members = members
      self.nonMembers = nonMembers
    }
  }

  public var attacks: [Attack]
  /// Where the members and non-members came from, for the report.
  public var sample: String

  public init(attacks: [Attack], sample: String) {
    self.attacks = attacks
    self.sample = sample
  }
}

/// A kind that trains many seeds at once in one process (`rl cartpole --seeds 0-31`), each seed
/// still in a run folder of its own, equal to the same seed trained in a batch of one.
public protocol BatchedSeedsRun: RunJob {
  /// Trains `seeds` together; returns each seed's run folder, in `seeds`' order (a seed whose
  /// loss diverged is kept with status diverged, as a single run is). The folders are written
  /// once training ends.
  func runSeeds(_ seeds: [UInt64], in context: RunContext) throws -> [URL]
}
