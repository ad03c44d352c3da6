import PlaygroundEnvironments

/// A `side`×`side` map of free cells with the start top left and the goal bottom right: the
/// shortest way is 2·(side − 1) steps, so V*(start) = γ^(2·(side − 1) − 1).
public func openGridMap(side: Int) -> GridWorldSettings {
  var rows = Array(repeating: String(repeating: "F", count: side), count: side)
  rows[0] = "S" + rows[0].dropFirst()
  rows[side - 1] = rows[side - 1].dropLast() + "G"
  var settings = GridWorldSettings()
  settings.map = rows.joined(separator: "\n")
  return settings
}
