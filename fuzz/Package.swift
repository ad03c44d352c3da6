// swift-tools-version:6.0
// Fuzz targets for the playground's readers of untrusted bytes, built apart from the main
// package (they link libFuzzer): `scripts/fuzz` builds this with
// `-sanitize=fuzzer,address` and runs each target for a fixed number of inputs.
import PackageDescription

let package = Package(
  name: "playground-fuzz",
  dependencies: [.package(name: "playground", path: "..")],
  targets: [
    .executableTarget(
      name: "PlaygroundFuzz",
      dependencies: [
        .product(name: "PlaygroundImage", package: "playground"),
        .product(name: "PlaygroundData", package: "playground"),
        .product(name: "PlaygroundCore", package: "playground"),
        .product(name: "PlaygroundNN", package: "playground"),
        .product(name: "PlaygroundConfig", package: "playground"),
        .product(name: "PlaygroundEnvironments", package: "playground"),
        .product(name: "PlaygroundGenerative", package: "playground"),
        .product(name: "PlaygroundRandom", package: "playground"),
        .product(name: "PlaygroundKinds", package: "playground"),
        .product(name: "PlaygroundScenarios", package: "playground"),
        .product(name: "PlaygroundTuning", package: "playground"),
      ])
  ],
  swiftLanguageModes: [.v6]
)
