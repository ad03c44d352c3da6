import Foundation
import PlaygroundGenerative
import Testing

@Suite struct GANConfigFileTests {
  @Test(arguments: [
    ("gan", GANConfig.fullyConnected), ("dcgan", GANConfig()),
    ("tf-dcgan", GANConfig.tensorFlowTutorial),
  ])
  func agentFilesMirrorTheConfigStruct(_ name: String, _ expected: GANConfig) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("agents/\(name).yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
      .map { String($0.split(separator: ":")[0]) }
    #expect(keys == GANConfig.CodingKeys.allCases.map(\.stringValue))
    #expect(try GANConfig.read(url, defaults: GANConfig()) == expected)
  }
}

@Suite struct TextConfigFileTests {
  @Test func theAgentFileMirrorsTheConfigStructWithItsDefaults() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("agents/char-lstm.yaml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let keys = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }
      .map { String($0.split(separator: ":")[0]) }
    #expect(keys == TextConfig.CodingKeys.allCases.map(\.stringValue))
    #expect(try TextConfig.read(url, defaults: TextConfig()) == TextConfig())
  }
}
