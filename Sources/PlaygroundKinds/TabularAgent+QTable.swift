import PlaygroundAgents
import PlaygroundRuns

extension TabularAgent {
  /// `q_table.csv`: a header `state,<action names>`, then one row per state.
  func csv(actionNames: [String]) -> String {
    var lines = [(["state"] + actionNames).joined(separator: ",")]
    for (state, values) in q.enumerated() {
      lines.append(([String(state)] + values.map(MetricsLog.format)).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
