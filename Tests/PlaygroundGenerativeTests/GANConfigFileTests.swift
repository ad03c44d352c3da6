import Foundation
import PlaygroundConfig
import PlaygroundGenerative
import TestSupport
import Testing

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
    #expect(keys == GANConfig.keys)
    #expect(settings == expected)
  }
}

@Suite(.onOneBackend) struct TextConfigFileTests {
  @Test func theAgentFileMirrorsTheConfigStructWithItsDefaults() throws {
    let (keys, settings) = try agentFile("char-lstm", as: TextConfig.self, defaults: TextConfig())
    #expect(keys == TextConfig.keys)
    #expect(settings == TextConfig())
  }
}

/// The compute settings are declared once (`ComputeRunSettings`) and embedded in each kind's
/// settings: written and read beside the kind's own keys, checked like them.
@Suite(.onOneBackend) struct EmbeddedComputeSettingsTests {
  @Test func theyAreWrittenAfterTheOwnKeysAtTheSameLevel() throws {
    var config = GANConfig()
    config.seed = 7
    config.threads = 2
    let lines = try config.yaml().split(separator: "\n").map(String.init)
    #expect(Array(lines.suffix(3)) == ["backend: auto", "threads: 2", "seed: 7"])
    #expect(GANConfig.keys.suffix(3) == ["backend", "threads", "seed"])
    let read = try GANConfig.decode(yaml: config.yaml(), source: "x", defaults: GANConfig())
    #expect(read == config)
  }

  @Test func theyAreReadFromTheFileAndKeepDefaultsOtherwise() throws {
    let read = try TextConfig.decode(
      yaml: "seed: 12\nbackend: openblas\n", source: "x", defaults: TextConfig())
    #expect(read.seed == 12)
    #expect(read.backend == .openblas)
    #expect(read.threads == 0)
    #expect(read.embedded.seed == 12)
  }

  @Test func theirValuesAreCheckedWithTheLineNamed() throws {
    let message = { (text: String) -> String in
      do {
        _ = try GANConfig.decode(yaml: text, source: "g.yaml", defaults: GANConfig())
        return ""
      } catch { return "\(error)" }
    }
    #expect(message("epochs: 1\nthreads: -1\n").contains("threads must be 0"))
    #expect(message("epochs: 1\nseed: many\n").contains("g.yaml (line 2)"))
    #expect(message("epochs: 1\nbackend: cuda\n").contains("onednn"))
    #expect(message("sed: 1\n").contains("known keys:"))
    #expect(message("sed: 1\n").contains("threads, seed"))
  }
}
