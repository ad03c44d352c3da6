// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "playground",
  platforms: [.macOS(.v14)],
  products: [
    .library(name: "PlaygroundCore", targets: ["PlaygroundCore"]),
    .library(name: "PlaygroundNN", targets: ["PlaygroundNN"]),
    .library(name: "PlaygroundData", targets: ["PlaygroundData"]),
    .library(name: "PlaygroundImage", targets: ["PlaygroundImage"]),
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
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
    .target(name: "PlaygroundCore", dependencies: ["COpenBLAS"]),
    // Data sets (IDX files, the MNIST subset, downloads); no machine-learning code.
    .target(name: "PlaygroundData", dependencies: ["CZlib"]),
    // PNG files and pictures; no machine-learning code.
    .target(name: "PlaygroundImage", dependencies: ["CLibPNG"]),
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
    .testTarget(name: "PlaygroundDataTests", dependencies: ["PlaygroundData"]),
    .testTarget(name: "PlaygroundImageTests", dependencies: ["PlaygroundImage"]),
    .testTarget(name: "PlaygroundCLITests", dependencies: []),
  ],
  swiftLanguageModes: [.v6]
)
