/// Wall-clock timing for benchmarks.
enum Timing {
  /// Seconds per call of `body`: after a warm-up, five rounds each at least `minSeconds` long;
  /// the median round's mean.
  static func median(minSeconds: Double, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    // Warm-up, and a first estimate of the cost of one call.
    var calls = 1
    while true {
      let elapsed = clock.measure { for _ in 0..<calls { body() } }
      if seconds(elapsed) >= minSeconds / 10 { break }
      calls *= 2
    }
    var rounds: [Double] = []
    for _ in 0..<5 {
      var total = 0.0
      var made = 0
      while total < minSeconds {
        total += seconds(clock.measure { for _ in 0..<calls { body() } })
        made += calls
      }
      rounds.append(total / Double(made))
    }
    return rounds.sorted()[2]
  }

  static func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) * 1e-18
  }
}
