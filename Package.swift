// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "playground",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "PlaygroundRandom", targets: ["PlaygroundRandom"]),
    .library(name: "PlaygroundFiles", targets: ["PlaygroundFiles"]),
    .library(name: "PlaygroundConfig", targets: ["PlaygroundConfig"]),
    .library(name: "PlaygroundCore", targets: ["PlaygroundCore"]),
    .library(name: "PlaygroundComputeConfig", targets: ["PlaygroundComputeConfig"]),
    .library(name: "PlaygroundNN", targets: ["PlaygroundNN"]),
    .library(name: "PlaygroundData", targets: ["PlaygroundData"]),
    .library(name: "PlaygroundImage", targets: ["PlaygroundImage"]),
    .library(name: "PlaygroundTensorBoard", targets: ["PlaygroundTensorBoard"]),
    .library(name: "PlaygroundRuns", targets: ["PlaygroundRuns"]),
    .library(name: "PlaygroundEnvironments", targets: ["PlaygroundEnvironments"]),
    .library(name: "PlaygroundAgents", targets: ["PlaygroundAgents"]),
    .library(name: "PlaygroundGenerative", targets: ["PlaygroundGenerative"]),
    .library(name: "PlaygroundClassifier", targets: ["PlaygroundClassifier"]),
    .library(name: "PlaygroundExport", targets: ["PlaygroundExport"]),
    .library(name: "PlaygroundKinds", targets: ["PlaygroundKinds"]),
    .library(name: "PlaygroundTuning", targets: ["PlaygroundTuning"]),
    .library(name: "PlaygroundPrivacy", targets: ["PlaygroundPrivacy"]),
    .library(name: "PlaygroundScenarios", targets: ["PlaygroundScenarios"]),
    .library(name: "PlaygroundCommands", targets: ["PlaygroundCommands"]),
    .executable(name: "playground", targets: ["PlaygroundCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    // OpenBLAS's header only: the library is opened at run time (see `BLAS.swift`) so that its
    // CPU core can be chosen before it initialises.
    .systemLibrary(
      name: "COpenBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    // oneDNN's header only, likewise opened at run time (see `OneDNN.swift`).
    .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    // The one seeded random number generator, shared by the ML code and the environments.
    .target(name: "PlaygroundRandom"),
    // Files someone names, read only when regular and of bounded size (no ML code, no deps).
    .target(name: "PlaygroundFiles"),
    // Settings read strictly from YAML (unknown keys and wrong types name their line) and the
    // one-line errors of bad settings; used by environments, models and runs alike.
    .target(name: "PlaygroundConfig", dependencies: ["Yams", "PlaygroundFiles"]),
    // Vectorized element-wise kernels (C, for `restrict`): the hottest operations and the
    // optimizers' updates.
    .target(name: "PlaygroundKernels"),
    .target(
      name: "PlaygroundCore",
      dependencies: [
        "COpenBLAS", "CDNNL", "PlaygroundRandom", "PlaygroundKernels", "PlaygroundFiles",
      ]),
    // The settings `backend:` and `threads:` that every config of a run computing with tensors
    // holds, read as the core's compute settings (the core itself reads no settings files).
    .target(name: "PlaygroundComputeConfig", dependencies: ["PlaygroundCore", "PlaygroundConfig"]),
    // Data sets (IDX files, the MNIST subset, downloads); no machine-learning code.
    .target(name: "PlaygroundData", dependencies: ["CZlib", "PlaygroundFiles"]),
    // PNG files and pictures; no machine-learning code.
    .target(name: "PlaygroundImage", dependencies: ["CLibPNG", "PlaygroundFiles"]),
    .target(
      name: "PlaygroundNN",
      dependencies: ["PlaygroundCore", "PlaygroundKernels", "PlaygroundRandom"]
    ),
    // TensorBoard's event files (TFRecord-framed `Event` protos, generated from TensorBoard's
    // own descriptors by scripts/generate-tensorboard-swift); no machine-learning code.
    .target(
      name: "PlaygroundTensorBoard",
      dependencies: [
        "PlaygroundKernels", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]),
    // Run folders, metrics, progress lines, reports, Ctrl-C, and the protocol every kind of run
    // conforms to (`RunJob`); no machine-learning code.
    .target(
      name: "PlaygroundRuns",
      dependencies: [
        "PlaygroundConfig", "PlaygroundData", "PlaygroundImage", "PlaygroundTensorBoard", "Yams",
        "PlaygroundFiles",
      ]),
    // Gymnasium-style environments, one at a time or vectors of them; no machine-learning code
    // and no run machinery (the kernels: CartPole's vectorized step).
    .target(
      name: "PlaygroundEnvironments",
      dependencies: ["PlaygroundRandom", "PlaygroundConfig", "PlaygroundKernels"]),
    // Tabular agents, planning and DQN.
    .target(
      name: "PlaygroundAgents",
      dependencies: [
        "PlaygroundEnvironments", "PlaygroundNN", "PlaygroundCore", "PlaygroundRandom",
        "PlaygroundConfig", "PlaygroundComputeConfig",
      ]),
    // Generative models (GANs) and the measures of their samples.
    .target(
      name: "PlaygroundGenerative",
      dependencies: [
        "PlaygroundNN", "PlaygroundCore", "PlaygroundData", "PlaygroundRandom", "PlaygroundConfig",
        "PlaygroundComputeConfig",
      ]),
    // Image classifiers (privately trained too), and the CNN that judges generated digits.
    .target(
      name: "PlaygroundClassifier",
      dependencies: [
        "PlaygroundNN", "PlaygroundCore", "PlaygroundData", "PlaygroundRandom", "PlaygroundConfig",
        "PlaygroundComputeConfig", "PlaygroundPrivacy", "PlaygroundKernels",
      ]),
    // Networks as ONNX models (opset 17), through swift-protobuf and the Swift code generated
    // from the ONNX project's onnx.proto (Generated/, see scripts/generate-onnx-swift).
    .target(
      name: "PlaygroundExport",
      dependencies: [
        "PlaygroundNN", "PlaygroundCore",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ]),
    // The kinds of run, one folder each (Classify/, GridWorld/, CartPole/, GAN/), and their
    // registry (`RunKinds`), which both the commands and scenario files use.
    .target(
      name: "PlaygroundKinds",
      dependencies: [
        "PlaygroundAgents", "PlaygroundClassifier", "PlaygroundConfig", "PlaygroundCore",
        "PlaygroundData", "PlaygroundEnvironments", "PlaygroundExport", "PlaygroundGenerative",
        "PlaygroundImage", "PlaygroundNN", "PlaygroundRandom", "PlaygroundRuns", "Yams",
        "PlaygroundComputeConfig", "PlaygroundFiles",
      ]),
    // Differential privacy's accounting: the RDP accountant of DP-SGD as Opacus computes it;
    // plain numerics, no run machinery.
    .target(name: "PlaygroundPrivacy"),
    // Hyper-parameter search: search spaces, the TPE and random samplers, the ASHA and median
    // pruners; plain algorithms, no run machinery.
    .target(name: "PlaygroundTuning", dependencies: ["PlaygroundRandom"]),
    // Scenario files, sweeps over settings and seeds, and tuning studies run over them.
    .target(
      name: "PlaygroundScenarios",
      dependencies: [
        "PlaygroundKinds", "PlaygroundRuns", "PlaygroundConfig", "PlaygroundData",
        "PlaygroundEnvironments", "PlaygroundImage", "PlaygroundRandom", "PlaygroundTuning", "Yams",
        "PlaygroundFiles",
      ]),
    // The commands (`playground classify`, `run`, `tune`, …) as a library, so that a program
    // that registers kinds of its own (`RunKinds.register`) runs them as `playground` does.
    .target(
      name: "PlaygroundCommands",
      dependencies: [
        "PlaygroundCore", "PlaygroundNN", "PlaygroundData", "PlaygroundImage", "PlaygroundRuns",
        "PlaygroundConfig", "PlaygroundEnvironments", "PlaygroundAgents", "PlaygroundClassifier",
        "PlaygroundGenerative", "PlaygroundKinds", "PlaygroundScenarios", "PlaygroundRandom",
        "PlaygroundTuning", "PlaygroundComputeConfig", "PlaygroundPrivacy", "Yams",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // The `playground` executable: the commands with the built-in kinds.
    .executableTarget(name: "PlaygroundCLI", dependencies: ["PlaygroundCommands"]),
    // A kind of run defined outside the playground's sources (a least-squares fit), registered
    // the way any program would: the CLI tests run it through run, sweeps, tune, list, inspect
    // and report.html to show that a new kind needs no line outside its own files.
    .executableTarget(
      name: "ExampleKind",
      dependencies: [
        "PlaygroundCommands", "PlaygroundKinds", "PlaygroundRuns", "PlaygroundConfig",
        "PlaygroundRandom", "Yams",
      ],
      path: "Tests/ExampleKind"),
    // Fixture loading and numerical checks shared by the test targets.
    .target(
      name: "TestSupport",
      dependencies: [
        "PlaygroundCore", "PlaygroundEnvironments", "PlaygroundImage", "PlaygroundTensorBoard",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      path: "Tests/TestSupport"),
    .testTarget(name: "PlaygroundFilesTests", dependencies: ["PlaygroundFiles", "TestSupport"]),
    .testTarget(name: "PlaygroundCoreTests", dependencies: ["PlaygroundCore", "TestSupport"]),
    .testTarget(
      name: "PlaygroundNNTests",
      dependencies: ["PlaygroundNN", "PlaygroundCore", "PlaygroundRandom", "TestSupport"]),
    .testTarget(name: "PlaygroundDataTests", dependencies: ["PlaygroundData", "TestSupport"]),
    .testTarget(name: "PlaygroundImageTests", dependencies: ["PlaygroundImage", "TestSupport"]),
    .testTarget(
      name: "PlaygroundTensorBoardTests",
      dependencies: ["PlaygroundTensorBoard", "PlaygroundKernels", "TestSupport"]),
    .testTarget(
      name: "PlaygroundRunsTests",
      dependencies: ["PlaygroundRuns", "PlaygroundConfig", "TestSupport"]),
    .testTarget(
      name: "PlaygroundEnvironmentsTests",
      dependencies: [
        "PlaygroundEnvironments", "PlaygroundConfig", "PlaygroundRandom", "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundAgentsTests",
      dependencies: [
        "PlaygroundAgents", "PlaygroundCore", "PlaygroundEnvironments", "PlaygroundRandom",
        "PlaygroundConfig", "PlaygroundNN", "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundKindsTests",
      dependencies: [
        "PlaygroundKinds", "PlaygroundAgents", "PlaygroundEnvironments", "PlaygroundGenerative",
        "PlaygroundClassifier", "PlaygroundCore", "PlaygroundData", "PlaygroundRuns",
        "PlaygroundConfig", "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundGenerativeTests",
      dependencies: [
        "PlaygroundGenerative", "PlaygroundCore", "PlaygroundNN", "PlaygroundConfig", "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundClassifierTests",
      dependencies: [
        "PlaygroundClassifier", "PlaygroundCore", "PlaygroundData", "PlaygroundConfig",
        "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundScenariosTests",
      dependencies: [
        "PlaygroundScenarios", "PlaygroundKinds", "PlaygroundAgents", "PlaygroundClassifier",
        "PlaygroundEnvironments", "PlaygroundGenerative", "PlaygroundRuns", "PlaygroundTuning",
        "PlaygroundImage", "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundPrivacyTests", dependencies: ["PlaygroundPrivacy", "TestSupport"]),
    .testTarget(name: "PlaygroundTuningTests", dependencies: ["PlaygroundTuning", "TestSupport"]),
    .testTarget(
      name: "PlaygroundExportTests",
      dependencies: [
        "PlaygroundExport", "PlaygroundNN", "PlaygroundCore",
        .product(name: "SwiftProtobuf", package: "swift-protobuf"), "TestSupport",
      ]),
    .testTarget(
      name: "PlaygroundCLITests",
      dependencies: ["TestSupport", "PlaygroundKinds", "PlaygroundCore", "Yams"]),
  ],
  swiftLanguageModes: [.v6]
)
