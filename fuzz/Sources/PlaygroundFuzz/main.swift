import Foundation
import PlaygroundCore
import PlaygroundKinds

// libFuzzer's driver, called from this executable's entry point (SwiftPM renames `main`).
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

nonisolated(unsafe) var target: (@Sendable (Data) -> Void)?

@_cdecl("PlaygroundFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
  -> CInt
{
  if let seed = ProcessInfo.processInfo.environment["FUZZ_WRITE_GAN_STATE"] {
    // The corpus's first valid training state (scripts/fuzz).
    // It must be one the reader takes, or the target fuzzes only its first checks.
    let data = Targets.ganStateSeed()
    do {
      try GANRun.restoreTrainingState(
        SafeTensors.decode(data), into: Targets.smallGAN(), source: "seed")
      try data.write(to: URL(fileURLWithPath: seed))
      return 0
    } catch {
      FileHandle.standardError.write(Data("the gan-state seed is refused: \(error)\n".utf8))
      return 1
    }
  }
  if let seed = ProcessInfo.processInfo.environment["FUZZ_WRITE_GENERATOR"] {
    // The checkpoint corpus's first valid generator, which `gan sample` must take.
    do {
      let data = try Targets.generatorSeed()
      _ = try GANSampler.sample(
        SafeTensors.decode(data), source: URL(fileURLWithPath: seed), count: 1, digit: nil,
        seed: 0)
      try data.write(to: URL(fileURLWithPath: seed))
      return 0
    } catch {
      FileHandle.standardError.write(Data("the generator seed is refused: \(error)\n".utf8))
      return 1
    }
  }
  let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
  guard let chosen = Targets.all[name] else {
    FileHandle.standardError.write(
      Data("set FUZZ_TARGET to one of: \(Targets.all.keys.sorted().joined(separator: ", "))\n".utf8)
    )
    return 2
  }
  target = chosen
  var count = argc
  var arguments = argv
  return runDriver(&count, &arguments) { data, size in
    target?(Data(bytes: data ?? UnsafePointer(bitPattern: 1)!, count: size))
    return 0
  }
}
