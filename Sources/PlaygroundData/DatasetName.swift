/// The image data sets the playground knows.
public enum DatasetName: String, CaseIterable, Codable, Sendable {
  /// Handwritten digits (LeCun, Cortes & Burges), 60,000 training and 10,000 test images.
  case mnist
  /// Zalando's Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): clothing in MNIST's format.
  case fashion

  /// A human name for messages.
  public var title: String {
    switch self {
    case .mnist: "MNIST"
    case .fashion: "Fashion-MNIST"
    }
  }

  /// The images' size: both are in MNIST's format, 28×28 pixels.
  public var imageSize: (rows: Int, columns: Int) { (28, 28) }

  /// The name of each class, indexed by label.
  public var classNames: [String] {
    switch self {
    case .mnist: (0..<10).map(String.init)
    case .fashion:
      [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
        "Ankle boot",
      ]
    }
  }
}

/// A data set's training or test part.
public enum Split: String, CaseIterable, Sendable {
  case train
  case test

  /// The standard IDX file names, without the optional `.gz`.
  public var imagesFile: String {
    self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"
  }
  public var labelsFile: String {
    self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte"
  }
}
