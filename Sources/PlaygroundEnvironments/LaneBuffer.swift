/// A fixed number of values, one per copy of a vector environment, that the step loops read and
/// write in place: no copy-on-write or exclusivity checks per element, as an array in a class
/// would have (those took 60% of a vector CartPole step).
final class LaneBuffer<Element> {
  let pointer: UnsafeMutablePointer<Element>
  let count: Int

  init(repeating value: Element, count: Int) {
    pointer = .allocate(capacity: count)
    pointer.initialize(repeating: value, count: count)
    self.count = count
  }

  deinit {
    pointer.deinitialize(count: count)
    pointer.deallocate()
  }

  @inline(__always)
  subscript(i: Int) -> Element {
    get { pointer[i] }
    set { pointer[i] = newValue }
  }

  /// The values, copied.
  var array: [Element] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}
