import Foundation

/// Seeds as a command line names them: `0-31`, `0,4,9`, or both (`0-3,10`); each a whole number,
/// none twice, at most 4,096.
struct SeedList {
  let values: [UInt64]

  init?(argument: String) {
    var values: [UInt64] = []
    for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
      let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
      guard (1...2).contains(bounds.count),
        let low = UInt64(bounds[0].trimmingCharacters(in: .whitespaces)),
        let high = UInt64(bounds.last!.trimmingCharacters(in: .whitespaces)), low <= high,
        high - low < 4096
      else { return nil }
      values += Array(low...high)
    }
    guard !values.isEmpty, values.count <= 4096, Set(values).count == values.count else {
      return nil
    }
    self.values = values
  }
}
