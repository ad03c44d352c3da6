/// The versions recorded in every `summary.json`.
public enum Versions {
  /// The playground's own version (also `playground --version`).
  public static let playground = "0.2.0"

  /// The Swift compiler that built this binary.
  public static var swift: String {
    #if compiler(>=6.3)
      "6.3"
    #elseif compiler(>=6.2)
      "6.2"
    #elseif compiler(>=6.1)
      "6.1"
    #else
      "6.0"
    #endif
  }
}
