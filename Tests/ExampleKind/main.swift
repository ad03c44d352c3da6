import PlaygroundCommands
import PlaygroundKinds

// The playground's commands with one more kind: what a program that adds a kind does.
do {
  try RunKinds.register(LeastSquaresRun.self)
} catch {
  fatalError("\(error)")
}
Playground.main()
