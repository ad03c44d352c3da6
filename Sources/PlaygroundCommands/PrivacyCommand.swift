import ArgumentParser
import Foundation
import PlaygroundPrivacy

/// `playground privacy`: what DP-SGD's settings spend — the ε of (ε, δ)-differential privacy
/// that the RDP accountant gives for a sample rate, a noise multiplier and a number of epochs,
/// or the noise multiplier that meets a target ε — as Opacus's `get_epsilon` and
/// `get_noise_multiplier` compute them.
struct PrivacyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "privacy",
    abstract: "The ε that DP-SGD's settings spend, or the noise that meets a target ε.",
    discussion: """
      DP-SGD (Abadi et al. 2016) puts each training example in a step with probability q (the sample rate: batch size / training examples), clips each example's gradient and adds Gaussian noise of σ (the noise multiplier) times the clipping norm. The RDP accountant (Mironov et al. 2019, converted to (ε, δ) as Balle et al. 2020 do; Opacus 1.6's numbers exactly) says how much privacy steps = epochs / q such steps spend.

      Examples:
        playground privacy --sample-rate 0.004 --noise-multiplier 1.1 --epochs 60
        playground privacy --sample-rate 0.004 --epochs 15 --target-epsilon 1
      """)

  @Option(help: "Each example's probability of being in a step: batch size / training examples.")
  var sampleRate: Double

  @Option(help: "The noise's standard deviation over the clipping norm (σ).")
  var noiseMultiplier: Double?

  @Option(help: "Passes over the data; the steps are int(epochs / sample rate), as in Opacus.")
  var epochs: Double

  @Option(help: "The δ of (ε, δ): at most 1 / training examples, usually 1e-5.")
  var delta: Double = 1e-5

  @Option(help: "Find the noise multiplier that spends at most this ε (within 0.01).")
  var targetEpsilon: Double?

  func validate() throws {
    guard sampleRate > 0, sampleRate <= 1 else {
      throw ValidationError("--sample-rate must be in (0, 1], got \(sampleRate)")
    }
    guard epochs > 0, epochs.isFinite, epochs / sampleRate <= 1e8 else {
      throw ValidationError(
        "--epochs must be positive and make at most 10⁸ steps (epochs / sample rate)")
    }
    guard delta > 0, delta < 1 else { throw ValidationError("--delta must be in (0, 1)") }
    switch (noiseMultiplier, targetEpsilon) {
    case (nil, nil), (.some, .some):
      throw ValidationError("give --noise-multiplier (to get ε) or --target-epsilon (to get σ)")
    case (let sigma?, nil):
      guard sigma > 0, sigma <= 1e6 else {
        throw ValidationError("--noise-multiplier must be in (0, 10⁶], got \(sigma)")
      }
    case (nil, let epsilon?):
      guard epsilon > 0, epsilon.isFinite else {
        throw ValidationError("--target-epsilon must be positive, got \(epsilon)")
      }
    }
  }

  func run() throws {
    let steps = Int(epochs / sampleRate)
    var sigma = noiseMultiplier ?? 0
    if let targetEpsilon {
      do {
        sigma = try RDPAccountant.noiseMultiplier(
          targetEpsilon: targetEpsilon, delta: delta, sampleRate: sampleRate, steps: steps)
      } catch let error as PrivacyBudgetError {
        throw CommandFailure(error.description)
      }
      print("noise multiplier σ = \(sigma) for ε ≤ \(targetEpsilon)")
    }
    let orders = RDPAccountant.defaultOrders
    let rdp = RDPAccountant.rdp(
      sampleRate: sampleRate, noiseMultiplier: sigma, steps: steps, orders: orders)
    let spent = RDPAccountant.privacySpent(orders: orders, rdp: rdp, delta: delta)
    print(
      "ε = \(String(format: "%.4f", spent.epsilon)) at δ = \(delta) after \(steps) steps (q = \(sampleRate), σ = \(sigma)); best RDP order α = \(spent.order)"
    )
    if spent.order == orders.first || spent.order == orders.last {
      print(
        "note: the best order is at the end of the orders tried (\(orders.first!)–\(orders.last!)): ε may be smaller with other orders"
      )
    }
  }
}
