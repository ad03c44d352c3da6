import Foundation

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
  let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
  guard let chosen = Targets.all[name] else {
    FileHandle.standardError.write(
      Data("set FUZZ_TARGET to one of: \(Targets.all.keys.sorted().joined(separator: ", "))\n".utf8))
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
