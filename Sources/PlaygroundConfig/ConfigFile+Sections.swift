import Yams

/// Sections: a setting whose value is itself settings (a ``ConfigFile`` property, such as a
/// classifier's `privacy:`) is written as an indented mapping, read key by key onto its defaults
/// and checked as strictly as the top level. `section.key: value` (as `--set`, `overrides:` and
/// `sweep:` write it) means the same as the key under the section.
extension ConfigFile {
  public static var sections: [String: any ConfigFile.Type] { [:] }

  /// Every setting a sweep or a study may vary: ``keys``, with each section's keys in its place
  /// as `section.key`.
  public static var settingPaths: [String] {
    keys.flatMap { key in sections[key].map { $0.settingPaths.map { "\(key).\($0)" } } ?? [key] }
  }

  /// `mapping` with each `section.key: value` entry moved under `section:` (beside any keys the
  /// mapping already gives that section).
  static func expandingDottedKeys(_ mapping: Node.Mapping, source: String) throws -> Node.Mapping {
    var expanded = Node.Mapping([])
    for (key, value) in mapping {
      guard let name = key.string, let dot = name.firstIndex(of: "."),
        sections[String(name[..<dot])] != nil
      else {
        try add(key, value, to: &expanded, source: source)
        continue
      }
      let section = Node.scalar(.init(String(name[..<dot]), key.tag, .plain, key.mark))
      let innerKey = Node.scalar(
        .init(String(name[name.index(after: dot)...]), key.tag, .plain, key.mark))
      let inner = Node.Mapping([(innerKey, value)])
      try add(section, .mapping(inner), to: &expanded, source: source)
    }
    return expanded
  }

  /// Adds an entry, merging two mappings given for the same section.
  private static func add(
    _ key: Node, _ value: Node, to mapping: inout Node.Mapping, source: String
  ) throws {
    guard let existing = mapping[key] else {
      mapping[key] = value
      return
    }
    guard var merged = existing.mapping, let extra = value.mapping else {
      throw ConfigError(
        source: source, line: key.mark?.line, "'\(key.string ?? "?")' is given twice")
    }
    for (innerKey, innerValue) in extra {
      try add(innerKey, innerValue, to: &merged, source: source)
    }
    mapping[key] = .mapping(merged)
  }

  /// Checks every section's values (``ConfigFile/validate()``).
  func validateSections() throws {
    for child in Mirror(reflecting: self).children {
      if let section = child.value as? any ConfigFile { try section.validate() }
    }
  }

  /// Puts the file's entries over the defaults' (both complete for the top level); a section's
  /// entries go over the section's defaults, after the same strict check of their keys.
  static func overlay(_ mapping: Node.Mapping, onto merged: inout Node.Mapping, source: String)
    throws
  {
    for (key, value) in mapping {
      guard let name = key.string, let section = sections[name] else {
        merged[key] = value
        continue
      }
      guard let entries = value.mapping else {
        throw ConfigError(
          source: source, line: key.mark?.line,
          "'\(name)' is a section: write its settings under it, one per line, or as \(name).<setting>; its settings: \(section.keys.joined(separator: ", "))"
        )
      }
      let defaults = merged[key]?.mapping ?? Node.Mapping([])
      let known = section.keys
      var inner = defaults
      for (innerKey, innerValue) in entries {
        guard let innerName = innerKey.string, known.contains(innerName) else {
          throw ConfigError(
            source: source, line: innerKey.mark?.line,
            "unknown key '\(name).\(innerKey.string ?? "?")'; the settings of \(name): \(known.joined(separator: ", "))"
          )
        }
        inner[innerKey] = innerValue
      }
      merged[key] = .mapping(inner)
    }
  }
}
