/// How a kind's runs are read back: the one curve that tells how a run learned and the figures
/// shown first. Each kind declares its own (``RunJob/presentation``); a run writes it into its
/// `summary.json`, so that `report.html`, `playground inspect` and sweeps need no list of kinds.
public struct RunPresentation: Sendable, Equatable {
  /// Candidate curves, the first one a run's tables have wins.
  public var curves: [CurveSpec]
  /// Summary keys shown first, in this order, when a run has them.
  public var headline: [String]
  /// A figure per category (a classifier's accuracy per class), which sweeps draw as bars side
  /// by side and `inspect --compare` lists; `nil` for none.
  public var bars: BarSpec?
  /// Summary keys holding a mapping of figures (a private run's `privacy`: ε, δ, σ, C, q, …)
  /// that `report.html` shows as a table each, when a run has them.
  public var sections: [String]
  /// The picture that shows what a run made (a generator's last sample sheet), relative to its
  /// folder, which sweeps show side by side with each setting's figures; `nil` for none.
  public var picture: String?

  public init(
    curves: [CurveSpec], headline: [String], bars: BarSpec? = nil, sections: [String] = [],
    picture: String? = nil
  ) {
    self.curves = curves
    self.headline = headline
    self.bars = bars
    self.sections = sections
    self.picture = picture
  }

  /// A summary key holding one number per category, and the key holding the categories' names.
  public struct BarSpec: Sendable, Equatable {
    /// E.g. `per_class_accuracy`.
    public var values: String
    /// E.g. `class_names`.
    public var categories: String

    public init(values: String, categories: String) {
      self.values = values
      self.categories = categories
    }
  }

  /// One column of a CSV table against another.
  public struct CurveSpec: Sendable, Equatable {
    /// The table, e.g. `eval.csv`.
    public var file: String
    public var x: String
    public var y: String
    /// Show a moving average over about 2% of the points (noisy per-episode returns).
    public var smoothed: Bool

    public init(file: String, x: String, y: String, smoothed: Bool = false) {
      self.file = file
      self.x = x
      self.y = y
      self.smoothed = smoothed
    }
  }

  /// The form `summary.json` holds (`presentation` key).
  var json: [String: Any] {
    [
      "curves": curves.map {
        ["file": $0.file, "x": $0.x, "y": $0.y, "smoothed": $0.smoothed] as [String: Any]
      },
      "headline": headline, "sections": sections,
    ].merging(bars.map { ["bars": ["values": $0.values, "categories": $0.categories]] } ?? [:]) {
      $1
    }.merging(picture.map { ["picture": $0] } ?? [:]) { $1 }
  }

  /// Reads the form ``json`` writes.
  init?(json: Any?) {
    guard let object = json as? [String: Any], let headline = object["headline"] as? [String],
      let curves = object["curves"] as? [[String: Any]]
    else { return nil }
    self.headline = headline
    sections = object["sections"] as? [String] ?? []
    picture = object["picture"] as? String
    self.curves = curves.compactMap { curve in
      guard let file = curve["file"] as? String, let x = curve["x"] as? String,
        let y = curve["y"] as? String
      else { return nil }
      return CurveSpec(file: file, x: x, y: y, smoothed: curve["smoothed"] as? Bool ?? false)
    }
    if let bars = object["bars"] as? [String: String], let values = bars["values"],
      let categories = bars["categories"]
    {
      self.bars = BarSpec(values: values, categories: categories)
    }
  }
}
