import Foundation
import PlaygroundConfig
import PlaygroundGenerative
import Testing
import TestSupport

/// The keys of an agents file, in order, and the settings it holds.
func agentFile<Config: ConfigFile>(_ name: String, as type: Config.Type, defaults: Config) throws
  -> (keys: [String], settings: Config)
{
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("agents/\(name).yaml")
  let text = try String(contentsOf: url, encoding: .utf8)
  let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
    .map { String($0.split(separator: ":")[0]) }
  return (keys, try Config.read(url, defaults: defaults))
}

@Suite(.onOneBackend) struct GANConfigFileTests {
  @Test(arguments: [
    ("gan", GANConfig.fullyConnected), ("dcgan", GANConfig()),
    ("tf-dcgan", GANConfig.tensorFlowTutorial),
  ])
  func agentFilesMirrorTheConfigStruct(_ name: String, _ expected: GANConfig) throws {
    let (keys, settings) = try agentFile(name, as: GANConfig.self, defaults: GANConfig())
    #expect(keys == GANConfig.CodingKeys.allCases.map(\.stringValue))
    #expect(settings == expected)
  }
}

@Suite(.onOneBackend) struct TextConfigFileTests {
  @Test func theAgentFileMirrorsTheConfigStructWithItsDefaults() throws {
    let (keys, settings) = try agentFile("char-lstm", as: TextConfig.self, defaults: TextConfig())
    #expect(keys == TextConfig.CodingKeys.allCases.map(\.stringValue))
    #expect(settings == TextConfig())
  }
}
