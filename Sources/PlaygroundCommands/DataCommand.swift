import ArgumentParser
import Foundation
import PlaygroundData

/// `playground data`: every data set, its splits, sizes and where each was found.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "List the data sets, their splits and sizes, and where each was found.",
    discussion: """
      Splits are looked for, each on its own, in: --data-dir / $PLAYGROUND_DATA (IDX files, in the folder or its <dataset>/ subfolder), the cache ($XDG_CACHE_HOME/playground, default ~/.cache/playground), Debian's /usr/share/datasets/fashion-mnist; MNIST is downloaded on first use when online and otherwise read from the 5,000-digit subset that scripts/setup installs. This command does not download.

      Examples:
        playground data
        playground data --data-dir ../shared/data/mnist
      """)

  @OptionGroup var data: DataOptions

  func run() throws {
    var sources = DataSources.fromEnvironment(dataDirectory: data.dataDir)
    sources.allowsDownload = false
    let loader = DatasetLoader(sources: sources)
    for name in DatasetName.allCases {
      print("\(name.rawValue) (\(name.title))")
      do {
        let dataset = try loader.load(name)
        for (split, part) in [("train", dataset.train), ("test", dataset.test)] {
          let images = part.images
          print(
            "  \(split.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(images.count).leftPadded(6)) images \(images.rows)×\(images.columns)  \(part.source)"
          )
        }
        for note in dataset.notes where !note.hasPrefix("no full MNIST") {
          print("  note: \(note)")
        }
        if name == .mnist, dataset.train.source.contains("subset") {
          print("  note: `playground classify mnist` downloads the full MNIST when online")
        }
      } catch let error as DataError {
        print("  not available: \(error.description)")
      }
    }
  }
}

extension String {
  func leftPadded(_ width: Int) -> String {
    String(repeating: " ", count: max(width - count, 0)) + self
  }
}
