import ArgumentParser
import Foundation
import PlaygroundConfig
import PlaygroundCore
import PlaygroundData
import PlaygroundImage
import PlaygroundNN
import PlaygroundRuns
import PlaygroundScenarios

/// The `playground` command: learn and experiment with deep learning on a laptop's CPU. The
/// executable calls ``main()``; a program with kinds of its own registers them first
/// (`RunKinds.register`) and calls it likewise.
public struct Playground: ParsableCommand {
  static let version = Versions.playground

  public static let configuration = CommandConfiguration(
    commandName: "playground",
    abstract: "Run real agents and generative models on your CPU, and look at what comes out.",
    discussion: """
      Everything runs on one neural-net core written in Swift (tensors, reverse-mode autodiff, layers, losses, optimizers), checked against PyTorch.

      Examples:
        playground classify mnist           # the Keras example: MLP, Adam, 5 epochs
        playground classify mnist --model cnn
        playground rl gridworld             # Q-learning on FrozenLake 8×8
        playground rl cartpole              # DQN on CartPole-v1 until solved
        playground gan mnist                # a GAN that draws digits, 5 minutes
        playground classify mnist --model lstm   # a digit read row by row by an LSTM
        playground text names               # an LSTM that writes new surnames
        playground run scenarios/cartpole-seeds.yaml --jobs 2   # a scenario: seeds, sweeps
        playground list                     # built-in scenarios, environments, agents
        playground inspect outputs          # every run, newest first
        playground inspect outputs/gan-mnist/latest/samples/final.png
        playground data                     # where each data set was found
        playground privacy --sample-rate 0.004 --noise-multiplier 1.1 --epochs 60   # DP-SGD's ε
        playground audit outputs/classify-fashion/latest   # membership inference
        playground bench core               # sgemm, convolution, per-op overhead
      """,
    version: version,
    subcommands: [
      ClassifyCommand.self, RLCommand.self, GANCommand.self, FlowCommand.self, TextCommand.self,
      RunCommand.self,
      TuneCommand.self, ExplainCommand.self, ExportCommand.self, PrivacyCommand.self,
      AuditCommand.self,
      ListCommand.self,
      InspectCommand.self,
      DataCommand.self, Bench.self,
    ])

  public init() {}

  /// Parses the process's arguments and runs, reporting any failure as one line on standard
  /// error with a non-zero exit status (no usage dump, no stack trace) and exiting; returns when
  /// the command succeeded.
  public static func main() {
    InterruptHandler.install()
    do {
      var command = try parseAsRoot()
      if case .failure(let error) = BLAS.loaded { throw CommandFailure(error.description) }
      if let problem = ComputeSettings.environmentProblem ?? MemoryBudget.environmentProblem {
        throw CommandFailure(problem)
      }
      if case .failure(let error) = ComputeSettings.environment.backend.load() {
        throw CommandFailure("\(error.description) (or set PLAYGROUND_BACKEND=openblas)")
      }
      try command.run()
      InterruptHandler.waitIfEnding()
    } catch let interrupted as RunInterrupted {
      InterruptHandler.waitIfEnding()
      FileHandle.standardError.write(Data("\(interrupted)\n".utf8))
      Foundation.exit(130)
    } catch let problems as ScenarioProblems {
      InterruptHandler.waitIfEnding()
      // Every problem of a scenario, one per line.
      FileHandle.standardError.write(Data("error: \(problems)\n".utf8))
      Foundation.exit(1)
    } catch {
      InterruptHandler.waitIfEnding()
      let code = exitCode(for: error)
      // Help and --version arrive as "errors" that exit successfully.
      guard code != .success else { exit(withError: error) }
      let message = oneLine(error)
      let isUsage =
        !(error is CommandFailure || error is RunError || error is DataError || error is PNGError
        || FileProblem.describe(error) != nil
        || error is SafeTensorsError || error is CheckpointMismatch || error is ScenarioProblems
        || error is RunDiverged || error is BackendLoadError)
      let hint = isUsage ? " (see 'playground --help')" : ""
      FileHandle.standardError.write(Data("error: \(message)\(hint)\n".utf8))
      Foundation.exit(code.rawValue)
    }
  }
}

extension Playground {
  /// `error` as the one line the user reads.
  static func oneLine(_ error: Error) -> String {
    FileProblem.describe(error)
      ?? message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
  }
}

/// A failure to report to the user as one line: what is wrong and how to fix it.
struct CommandFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// Foundation's file errors (a full disk, a read-only folder, a missing one) as one line a
/// person reads, instead of `NSCocoaErrorDomain Code=…`.
enum FileProblem {
  static func describe(_ error: Error) -> String? {
    guard let error = error as? CocoaError else { return nil }
    let path = error.filePath ?? error.url?.path ?? "a file"
    switch error.code {
    case .fileWriteOutOfSpace: return "cannot write \(path): the disk is full; free some space"
    case .fileWriteVolumeReadOnly, .fileWriteNoPermission:
      return "cannot write \(path): the folder is not writable; choose another --output-dir"
    case .fileNoSuchFile, .fileReadNoSuchFile: return "\(path): no such file or folder"
    case .fileReadNoPermission: return "cannot read \(path): check its permissions"
    case .propertyListReadCorrupt: return "\(path) is not valid JSON: the file is damaged"
    case .propertyListWriteInvalid:
      return "cannot write \(path): a figure has no JSON form (NaN or infinite)"
    default:
      let underlying = (error.userInfo[NSUnderlyingErrorKey] as? NSError).map {
        String(cString: strerror(Int32($0.code)))
      }
      return "cannot use \(path): \(underlying ?? "error \(error.code.rawValue)")"
    }
  }
}
