// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "playground",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "PlaygroundCore", targets: ["PlaygroundCore"]),
    .library(name: "PlaygroundNN", targets: ["PlaygroundNN"]),
    .executable(name: "playground", targets: ["PlaygroundCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    // OpenBLAS's header only: the library is opened at run time (see `BLAS.swift`) so that its
    // CPU core can be chosen before it initialises.
    .systemLibrary(
      name: "COpenBLAS",
      providers: [.apt(["libopenblas-dev"])]),
    .target(name: "PlaygroundCore", dependencies: ["COpenBLAS"]),
    .target(name: "PlaygroundNN", dependencies: ["PlaygroundCore"]),
    .executableTarget(
      name: "PlaygroundCLI",
      dependencies: [
        "PlaygroundCore", "PlaygroundNN",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    // Fixture loading and numerical checks shared by the test targets.
    .target(name: "TestSupport", dependencies: ["PlaygroundCore"], path: "Tests/TestSupport"),
    .testTarget(name: "PlaygroundCoreTests", dependencies: ["PlaygroundCore", "TestSupport"]),
    .testTarget(name: "PlaygroundNNTests", dependencies: ["PlaygroundNN", "TestSupport"]),
    .testTarget(name: "PlaygroundCLITests", dependencies: []),
  ],
  swiftLanguageModes: [.v6]
)
