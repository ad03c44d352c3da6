import Foundation

/// The keys of a JSON object in the order they are written, duplicates included, which
/// `JSONSerialization` hides (it keeps one value of a repeated key): a file that names a tensor
/// twice is ambiguous, and refused.
enum JSONKeys {
  /// The top-level keys of the object `json`, decoded; `nil` when `json` is not an object that
  /// this scan can follow (the parser then says what is wrong).
  static func topLevel(of json: Data) -> [String]? {
    let bytes = [UInt8](json)
    var at = 0
    func skipSpace() {
      while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }
    /// The string starting at `at` (a quote), undecoded, with `at` past it.
    func string() -> ArraySlice<UInt8>? {
      guard at < bytes.count, bytes[at] == 0x22 else { return nil }
      let start = at
      at += 1
      while at < bytes.count, bytes[at] != 0x22 {
        at += bytes[at] == 0x5C ? 2 : 1
      }
      guard at < bytes.count else { return nil }
      at += 1
      return bytes[start..<at]
    }
    /// Skips one value (nested objects and arrays, strings with their escapes).
    func skipValue() -> Bool {
      var depth = 0
      repeat {
        guard at < bytes.count else { return false }
        switch bytes[at] {
        case 0x22: guard string() != nil else { return false }
        case 0x7B, 0x5B:
          depth += 1
          at += 1
        case 0x7D, 0x5D:
          guard depth > 0 else { return true }
          depth -= 1
          at += 1
        case 0x2C where depth == 0: return true
        default: at += 1
        }
      } while depth > 0 || (at < bytes.count && ![0x2C, 0x7D].contains(bytes[at]))
      return true
    }
    skipSpace()
    guard at < bytes.count, bytes[at] == 0x7B else { return nil }
    at += 1
    var keys: [String] = []
    while true {
      skipSpace()
      if at < bytes.count, bytes[at] == 0x7D { return keys }
      guard let raw = string(),
        let decoded = try? JSONSerialization.jsonObject(
          with: Data("[".utf8) + Data(raw) + Data("]".utf8)) as? [String],
        let key = decoded.first
      else { return nil }
      keys.append(key)
      skipSpace()
      guard at < bytes.count, bytes[at] == 0x3A else { return nil }
      at += 1
      skipSpace()
      guard skipValue() else { return nil }
      skipSpace()
      guard at < bytes.count else { return nil }
      if bytes[at] == 0x2C {
        at += 1
      } else if bytes[at] == 0x7D {
        return keys
      } else {
        return nil
      }
    }
  }

  /// The first key written twice at the top level of `json`, if one is.
  static func repeatedKey(in json: Data) -> String? {
    var seen: Set<String> = []
    for key in topLevel(of: json) ?? [] where !seen.insert(key).inserted { return key }
    return nil
  }
}
