/// A setting in a YAML file that cannot be read: where it is (the file and the line) and what is
/// wrong. Readers of larger files (a scenario) take ``line`` and ``message`` as they are instead
/// of parsing them back out of the text.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
  /// The file, as given to the reader (may be empty for text from the command line).
  public let source: String
  /// The 1-based line of the offending key, when the YAML parser knows it.
  public let line: Int?
  /// What is wrong and how to fix it, e.g. `unknown key 'learning_rat'; known keys: …`.
  public let message: String

  public init(source: String, line: Int?, _ message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  /// `agents/dqn.yaml (line 6): unknown key 'learning_rat'; known keys: …`.
  public var description: String {
    "\(source)\(line.map { " (line \($0))" } ?? ""): \(message)"
  }
}
