/// A data file or data set could not be used; the message says what is wrong and, where it
/// can, how to fix it, in one line.
public struct DataError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
