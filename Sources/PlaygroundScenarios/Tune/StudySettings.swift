import PlaygroundRuns
import PlaygroundTuning

/// What a scenario's `search:`, `objective:`, `trials:`, `sampler:` and `pruner:` ask of
/// `playground tune`: the settings to search, the figure to optimise, and how.
public struct StudySettings: Sendable {
  /// The sampler that chooses each trial's settings.
  public enum SamplerKind: String, Sendable, CaseIterable {
    /// Tree-structured Parzen Estimator (Optuna's default).
    case tpe
    /// Uniform random search.
    case random
  }

  /// The rule that stops hopeless trials early.
  public enum PrunerKind: Sendable, Equatable {
    /// Asynchronous successive halving with reduction factor η, first rung at `minimumBudget`
    /// (`nil`: a trial's first report).
    case asha(reductionFactor: Double, minimumBudget: Double?)
    /// The median rule after `startupTrials` complete trials, from `warmup` budget units on.
    case median(startupTrials: Int, warmup: Double)
    case none

    public var name: String {
      switch self {
      case .asha: return "asha"
      case .median: return "median"
      case .none: return "none"
      }
    }
  }

  public var space: SearchSpace
  /// The kind's figure to optimise.
  public var objective: RunObjective
  public var goal: Goal
  /// Trials to run (`--trials` replaces it).
  public var trials: Int
  public var sampler: SamplerKind
  public var pruner: PrunerKind
  /// How a trial's seeds make its value (`objective: {…, over_seeds: iqm}`): their mean or
  /// interquartile mean (rliable's definitions over one task), or the median seed's value (not
  /// rliable's median, which over one task is the mean).
  public var overSeeds = AggregateMetric.mean

  public init(
    space: SearchSpace, objective: RunObjective, goal: Goal, trials: Int,
    sampler: SamplerKind = .tpe, pruner: PrunerKind = .none
  ) {
    self.space = space
    self.objective = objective
    self.goal = goal
    self.trials = trials
    self.sampler = sampler
    self.pruner = pruner
  }

  /// The direction of the figure the pruner compares (which may differ from the objective's:
  /// `solved_at_step` is pruned on the greedy evaluations' returns).
  public var progressGoal: Goal? {
    objective.progress.map { $0.higherIsBetter ? .maximize : .minimize }
  }

  /// A trial's value from its seeds' values; `nil` when a seed's run has none.
  public func value(overSeeds values: [Double?]) -> Double? {
    let known = values.compactMap { $0 }
    guard !known.isEmpty, known.count == values.count else { return nil }
    return aggregate(ScoreMatrix(known))
  }

  /// ``overSeeds`` of one task's seeds.
  private func aggregate(_ seeds: ScoreMatrix) -> Double {
    overSeeds == .median ? AggregateMetric.median(seeds.values) : overSeeds(seeds)
  }

  /// The trial's value with its 95% stratified-bootstrap interval over its seeds (seeded: the
  /// same values give the same interval); `nil` with fewer than two seeds' values.
  public func interval(overSeeds values: [Double?]) -> IntervalEstimate? {
    let known = values.compactMap { $0 }
    guard known.count >= 2, known.count == values.count else { return nil }
    return StratifiedBootstrap(ScoreMatrix(known)).intervals { [aggregate($0)] }[0]
  }

  /// A trial's settings for people, in the search's order: numbers to 4 significant digits.
  public func shortValues(_ trial: TrialRecord) -> [String] {
    space.parameters.map { parameter in
      trial.parameters[parameter.name].map(parameter.distribution.shortText)
        ?? trial.settings[parameter.name] ?? "?"
    }
  }

  /// `learning_rate=0.001234 hidden_sizes=[64, 64]`.
  public func describe(_ trial: TrialRecord) -> String {
    zip(space.parameters, shortValues(trial)).map { "\($0.name)=\($1)" }.joined(separator: " ")
  }

  /// The sampler, seeded.
  public func makeSampler(seed: UInt64) -> any Sampler {
    switch sampler {
    case .tpe: return TPESampler(seed: seed)
    case .random: return RandomSampler(seed: seed)
    }
  }

  /// The pruner; none when the objective has no figure reported during training.
  public func makePruner() -> any Pruner {
    guard objective.progress != nil else { return NoPruner() }
    switch pruner {
    case .asha(let factor, let minimum):
      return SuccessiveHalvingPruner(reductionFactor: factor, minimumBudget: minimum)
    case .median(let startup, let warmup):
      return MedianPruner(startupTrials: startup, warmupBudget: warmup)
    case .none: return NoPruner()
    }
  }
}
