import Foundation
import PlaygroundConfig
import PlaygroundImage

extension CartPoleRun: ExplainableRun {
  /// The greedy action and Q gap over the angle × angular-velocity slice, drawn to `policy.png`.
  public func explain(run folder: URL, _ request: ExplainRequest) throws {
    if request.image != nil || request.method != nil {
      throw RunError(
        "--image and --method are for classify runs; a DQN run is explained by its policy map")
    }
    let map = try CartPolePolicyMap(run: folder, physics: environment)
    let gaps = map.gaps()
    let url = request.output ?? folder.appendingPathComponent("policy.png")
    try PNG.write(map.picture(), to: url)
    let right = Double(gaps.filter { $0 > 0 }.count) / Double(gaps.count)
    request.say(
      String(
        format:
          "pushes right in %.0f%% of the slice (angle ±%.0f°, angular velocity ±%.0f rad/s, cart at rest in the middle); largest Q gap %.3g",
        right * 100, environment.thetaThresholdDegrees, map.maximumVelocity,
        gaps.map(abs).max() ?? 0))
    request.say("policy map → \(url.path)")
  }
}
