import PlaygroundCommands

// The commands with the built-in kinds of run (`RunKinds.builtIn`).
Playground.main()
