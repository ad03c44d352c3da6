import Foundation
import PlaygroundFiles

/// Short texts, one per line — names to learn letter by letter. The default corpus is the 88,799
/// surnames of the 1990 US census from the PyPI source package `names` 0.3.0
/// (`names/dist.all.last`, MIT licence), which `scripts/setup` puts in the cache after checking
/// the package's SHA-256; any text file with one item per line works too.
public struct TextCorpus: Sendable {
  /// The items, in file order.
  public let items: [String]
  /// Where they came from.
  public let source: String

  public init(items: [String], source: String) {
    self.items = items
    self.source = source
  }

  /// The largest file read (64 MiB): a corpus is a list of short items.
  public static let maximumBytes = 64 << 20
  /// The longest item kept, in characters; longer ones are refused.
  public static let maximumItemLength = 64

  /// `<cache>/names/dist.all.last`.
  public static func censusSurnames(cacheDirectory: URL) -> URL {
    cacheDirectory.appendingPathComponent("names").appendingPathComponent("dist.all.last")
  }

  /// Reads the first whitespace-separated field of every non-empty line of `url` (the census
  /// file's other columns are frequencies and ranks), lower-cased when `lowercased`.
  /// - Throws: ``DataError`` for a missing, unreadable, oversized, binary or empty file, or an
  ///   item longer than ``maximumItemLength``.
  public static func read(_ url: URL, lowercased: Bool = true) throws -> TextCorpus {
    let text: String
    do {
      text = try UserFile.text(url, what: "text corpus", maximumBytes: maximumBytes)
    } catch {
      throw DataError("\(error.description) (give one item per line, or run scripts/setup)")
    }
    var items: [String] = []
    for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
      guard let field = line.split(whereSeparator: \.isWhitespace).first else { continue }
      guard field.count <= maximumItemLength else {
        throw DataError(
          "\(url.path) line \(number + 1): an item of \(field.count) characters; items are at most \(maximumItemLength)"
        )
      }
      items.append(lowercased ? field.lowercased() : String(field))
    }
    guard items.count >= 2 else {
      throw DataError("\(url.path) holds \(items.count) items; give at least two, one per line")
    }
    return TextCorpus(items: items, source: url.path)
  }
}
