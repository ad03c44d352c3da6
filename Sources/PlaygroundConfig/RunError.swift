/// A run cannot start or finish; the message is one line saying what is wrong and how to fix it.
public struct RunError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
