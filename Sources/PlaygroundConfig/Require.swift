/// A setting's range, checked where it enters, with the line a user sees:
/// `epochs must be at least 1, got 0`.
///
/// ```swift
/// try Require.that("epochs", epochs, is: "at least 1") { $0 >= 1 }
/// try Require.that("learning_rate", learningRate, is: "positive") { $0 > 0 }
/// ```
public enum Require {
  /// Throws ``RunError`` `<name> must be <rule>, got <value>` unless `holds(value)`.
  public static func that<Value: CustomStringConvertible>(
    _ name: String, _ value: Value, is rule: String, _ holds: (Value) -> Bool
  ) throws {
    guard holds(value) else { throw RunError("\(name) must be \(rule), got \(value)") }
  }

  /// The same for a number, which must also be finite (a NaN or infinite setting would end in
  /// a NaN loss or an integer trap much later).
  public static func that(
    _ name: String, _ value: Double, is rule: String, _ holds: (Double) -> Bool
  ) throws {
    guard value.isFinite else { throw RunError("\(name) must be a finite number, got \(value)") }
    guard holds(value) else { throw RunError("\(name) must be \(rule), got \(value)") }
  }
}
