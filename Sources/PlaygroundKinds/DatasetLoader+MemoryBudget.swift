import PlaygroundConfig
import PlaygroundData

extension DatasetLoader {
  /// A loader for a run: each IDX file may declare at most a fifth of what a run may use
  /// (``PlaygroundConfig/MemoryBudget/runBytes``) — the images of both splits are held as
  /// bytes, and in places once more while they are parsed — so that a data set larger than the
  /// machine is refused from its header, before it is decompressed.
  static func withinMemoryBudget(sources: DataSources) -> DatasetLoader {
    DatasetLoader(
      sources: sources,
      maximumBytesPerFile: min(IDX.maximumBytes, Int(MemoryBudget.runBytes / 5)))
  }
}
