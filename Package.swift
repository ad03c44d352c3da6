// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "playground",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "PlaygroundRandom", targets: ["PlaygroundRandom"]),
    .library(name: "PlaygroundCore", targets: ["PlaygroundCore"]),
    .library(name: "PlaygroundNN", targets: ["PlaygroundNN"]),
    .library(name: "PlaygroundData", targets: ["PlaygroundData"]),
    .library(name: "PlaygroundImage", targets: ["PlaygroundImage"]),
    .library(name: "PlaygroundRuns", targets: ["PlaygroundRuns"]),
    .library(name: "PlaygroundEnvironments", targets: ["PlaygroundEnvironments"]),
    .library(name: "PlaygroundAgents", targets: ["PlaygroundAgents"]),
    .library(name: "PlaygroundRL", targets: ["PlaygroundRL"]),
    .library(name: "PlaygroundGenerative", targets: ["PlaygroundGenerative"]),
    .library(name: "PlaygroundClassifier", targets: ["PlaygroundClassifier"]),
    .library(name: "PlaygroundScenarios", targets: ["PlaygroundScenarios"]),
    .executable(name: "playground", targets: ["PlaygroundCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    // OpenBLAS's header only: the library is opened at run time (see `BLAS.swift`) so that its
    // CPU core can be chosen before it initialises.
    .systemLibrary(
      name: "COpenBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    // The one seeded random number generator, shared by the ML code and the environments.
    .target(name: "PlaygroundRandom"),
    // Vectorized element-wise kernels (C, for `restrict`): the hottest operations and the
    // optimizers' updates.
    .target(name: "PlaygroundKernels"),
    .target(
      name: "PlaygroundCore", dependencies: ["COpenBLAS", "PlaygroundRandom", "PlaygroundKernels"]),
    // Data sets (IDX files, the MNIST subset, downloads); no machine-learning code.
    .target(name: "PlaygroundData", dependencies: ["CZlib"]),
    // PNG files and pictures; no machine-learning code.
    .target(name: "PlaygroundImage", dependencies: ["CLibPNG"]),
    .target(name: "PlaygroundNN", dependencies: ["PlaygroundCore", "PlaygroundKernels"]),
    // Run folders, configs, metrics and progress lines shared by every command.
    .target(name: "PlaygroundRuns", dependencies: ["Yams"]),
    // Gymnasium-style environments; no machine-learning code.
    .target(name: "PlaygroundEnvironments", dependencies: ["PlaygroundRandom", "PlaygroundRuns"]),
    // Tabular agents and planning; the neural agents join them.
    .target(
      name: "PlaygroundAgents",
      dependencies: ["PlaygroundEnvironments", "PlaygroundNN", "PlaygroundRuns"]),
    // Generative models (GANs).
    .target(
      name: "PlaygroundGenerative",
      dependencies: [
        "PlaygroundNN", "PlaygroundData", "PlaygroundImage", "PlaygroundRuns",
        "PlaygroundClassifier",
      ]),
    // The reinforcement-learning runs of `playground rl`.
    .target(
      name: "PlaygroundRL",
      dependencies: [
        "PlaygroundAgents", "PlaygroundEnvironments", "PlaygroundImage", "PlaygroundRuns",
      ]),
    // The image classifier of `playground classify`.
    .target(
      name: "PlaygroundClassifier",
      dependencies: ["PlaygroundNN", "PlaygroundData", "PlaygroundImage", "PlaygroundRuns"]),
    // Scenario files, sweeps over settings and seeds, run reports.
    .target(
      name: "PlaygroundScenarios",
      dependencies: [
        "PlaygroundClassifier", "PlaygroundRL", "PlaygroundGenerative", "PlaygroundRuns",
        "PlaygroundImage", "Yams",
      ]),
    .executableTarget(
      name: "PlaygroundCLI",
      dependencies: [
        "PlaygroundCore", "PlaygroundNN", "PlaygroundData", "PlaygroundImage", "PlaygroundRuns",
        "PlaygroundClassifier", "PlaygroundRL", "PlaygroundGenerative", "PlaygroundScenarios",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Fixture loading and numerical checks shared by the test targets.
    .target(
      name: "TestSupport",
      dependencies: ["PlaygroundCore", "PlaygroundEnvironments", "PlaygroundImage"],
      path: "Tests/TestSupport"),
    .testTarget(name: "PlaygroundCoreTests", dependencies: ["PlaygroundCore", "TestSupport"]),
    .testTarget(name: "PlaygroundNNTests", dependencies: ["PlaygroundNN", "TestSupport"]),
    .testTarget(name: "PlaygroundDataTests", dependencies: ["PlaygroundData"]),
    .testTarget(name: "PlaygroundImageTests", dependencies: ["PlaygroundImage"]),
    .testTarget(name: "PlaygroundRunsTests", dependencies: ["PlaygroundRuns"]),
    .testTarget(
      name: "PlaygroundEnvironmentsTests", dependencies: ["PlaygroundEnvironments", "TestSupport"]),
    .testTarget(name: "PlaygroundAgentsTests", dependencies: ["PlaygroundAgents", "TestSupport"]),
    .testTarget(name: "PlaygroundRLTests", dependencies: ["PlaygroundRL"]),
    .testTarget(
      name: "PlaygroundGenerativeTests", dependencies: ["PlaygroundGenerative", "TestSupport"]),
    .testTarget(name: "PlaygroundClassifierTests", dependencies: ["PlaygroundClassifier"]),
    .testTarget(
      name: "PlaygroundScenariosTests", dependencies: ["PlaygroundScenarios", "TestSupport"]),
    .testTarget(name: "PlaygroundCLITests", dependencies: ["TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
