import PlaygroundAgents

/// The episodes of a tabular run so far, and the figures it reports a fixed number of times
/// during training (``PlaygroundRuns/RunContext/report(budget:_:)``): the success rate and mean
/// return of the last 100 episodes.
struct EpisodeWindow {
  /// Every episode so far (what a pruned run keeps).
  private(set) var seen: [EpisodeRecord] = []
  /// Episodes between two reports.
  let interval: Int
  let episodes: Int

  init(reports: Int, episodes: Int) {
    interval = max(1, episodes / reports)
    self.episodes = episodes
    seen.reserveCapacity(episodes)
  }

  /// Adds an episode; the figures when a report is due (every ``interval`` episodes and at the
  /// last).
  mutating func add(_ record: EpisodeRecord) -> [String: Double]? {
    seen.append(record)
    guard seen.count % interval == 0 || seen.count == episodes else { return nil }
    let recent = seen.suffix(100)
    let count = Double(recent.count)
    return [
      "success_rate": Double(recent.filter(\.succeeded).count) / count,
      "mean_return": recent.map(\.episodeReturn).reduce(0, +) / count,
    ]
  }
}
