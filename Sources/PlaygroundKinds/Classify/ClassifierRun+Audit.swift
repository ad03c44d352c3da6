import Foundation
import PlaygroundClassifier
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundRandom
import PlaygroundRuns

extension ClassifierRun: AuditableRun {
  /// Members: a random sample of the images the run trained on (after `train_limit` and
  /// `class_limits`, as it trained); non-members: as many test images of each class, which it
  /// never saw (``balancedSample(train:test:samples:generator:)``). Two
  /// attacks that need no shadow models: the loss threshold (Yeom et al., 2018: score −loss, a
  /// trained-on image has a lower loss) and the modified entropy of Song & Mittal (2021: score
  /// −Mentr, which also uses the label and is lower on trained-on images).
  public func membershipScores(run folder: URL, sources: DataSources, samples: Int, seed: UInt64)
    throws -> MembershipScores
  {
    let (classifier, data) = try Self.trained(run: folder, sources: sources)
    let generator = RandomGenerator(seed: seed)
    let (memberIndices, otherIndices) = Self.balancedSample(
      train: data.train.labels, test: data.test.labels, samples: samples, generator: generator)
    let count = memberIndices.count
    guard count >= 1 else {
      throw RunError(
        "\(folder.path): the audit needs training and test images of the same classes; this run has none"
      )
    }
    let members = data.train.selecting(memberIndices)
    let nonMembers = data.test.selecting(otherIndices)
    let (memberLoss, memberEntropy) = Self.attackScores(classifier, members)
    let (otherLoss, otherEntropy) = Self.attackScores(classifier, nonMembers)
    return MembershipScores(
      attacks: [
        .init(
          name: "loss", description: "loss threshold (Yeom et al. 2018)", members: memberLoss,
          nonMembers: otherLoss),
        .init(
          name: "modified_entropy", description: "modified entropy (Song & Mittal 2021)",
          members: memberEntropy, nonMembers: otherEntropy),
      ],
      sample: "\(count) training images (members) and \(count) test images (non-members)")
  }

  /// As many members as non-members of each class — min(its training, its test images),
  /// scaled down together to at most `samples` in all — drawn at random: the attack then sees
  /// no difference between the two but membership (a class the run under-represents would
  /// otherwise be rarer among members and give them away).
  static func balancedSample(
    train: [UInt8], test: [UInt8], samples: Int, generator: RandomGenerator
  ) -> (members: [Int], nonMembers: [Int]) {
    let classes = Int(max(train.max() ?? 0, test.max() ?? 0)) + 1
    let byClass = { (labels: [UInt8]) -> [[Int]] in
      var groups = [[Int]](repeating: [], count: classes)
      for (index, label) in labels.enumerated() { groups[Int(label)].append(index) }
      return groups
    }
    let (trainGroups, testGroups) = (byClass(train), byClass(test))
    let available = (0..<classes).map { min(trainGroups[$0].count, testGroups[$0].count) }
    let total = available.reduce(0, +)
    let scale = total > samples ? Double(samples) / Double(total) : 1
    var (members, nonMembers) = ([Int](), [Int]())
    for c in 0..<classes {
      let count = Int(Double(available[c]) * scale)
      members += generator.permutation(trainGroups[c].count).prefix(count).map {
        trainGroups[c][$0]
      }
      nonMembers += generator.permutation(testGroups[c].count).prefix(count).map {
        testGroups[c][$0]
      }
    }
    return (members.sorted(), nonMembers.sorted())
  }

  /// Each image's −loss and −(modified entropy), from the network's logits.
  static func attackScores(_ classifier: ImageClassifier, _ images: LabeledImages) -> (
    loss: [Double], entropy: [Double]
  ) {
    var (loss, entropy) = ([Double](), [Double]())
    for start in stride(from: 0, to: images.count, by: 1000) {
      let end = min(start + 1000, images.count)
      let logits = classifier.logits(classifier.batch(images, start..<end))
      let classes = logits.shape[1]
      for row in 0..<(end - start) {
        let values = logits.scalars[(row * classes)..<((row + 1) * classes)].map(Double.init)
        let label = Int(images.labels[start + row])
        let top = values.max() ?? 0
        let logTotal = log(values.reduce(0) { $0 + exp($1 - top) }) + top
        let logProbabilities = values.map { $0 - logTotal }
        loss.append(logProbabilities[label])
        entropy.append(-modifiedEntropy(logProbabilities, label: label))
      }
    }
    return (loss, entropy)
  }

  /// Song & Mittal's Mentr: −(1 − p_y) log p_y − Σ_{i≠y} p_i log(1 − p_i), from log p.
  static func modifiedEntropy(_ logProbabilities: [Double], label: Int) -> Double {
    var total = 0.0
    for (i, logP) in logProbabilities.enumerated() {
      let p = exp(logP)
      // log(1 − p) accurately for p near 1: log(−expm1(log p)).
      let logOneMinus = logP < -1e-12 ? log(-expm1(logP)) : log(1e-12)
      total += i == label ? -(1 - p) * logP : -p * logOneMinus
    }
    return total
  }
}
