#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A C library opened at run time rather than linked (OpenBLAS, oneDNN): so that settings it
/// reads while loading can be chosen first, and so that the playground runs without it.
struct SharedLibrary {
  let handle: UnsafeMutableRawPointer
  /// The file that was opened.
  let path: String

  /// The first of `candidates` that opens — or only the file `variable` names, when it is set.
  /// - Parameters:
  ///   - name: the library's name for the error, e.g. `OpenBLAS`.
  ///   - package: the Debian package that installs it, for the error.
  static func open(
    _ name: String, variable: String, candidates: [String], package: String
  ) -> Result<SharedLibrary, BackendLoadError> {
    let paths = getenv(variable).map { [String(cString: $0)] } ?? candidates
    for path in paths {
      // A named file must be a regular one: opening a pipe would wait for a writer forever.
      var status = stat()
      if path.contains("/"), stat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
        return .failure(
          BackendLoadError(
            description:
              "\(variable)=\(path) is not a regular file (a pipe or a device?): name a library file"
          ))
      }
      if let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) {
        return .success(SharedLibrary(handle: handle, path: path))
      }
    }
    return .failure(
      BackendLoadError(
        description:
          "\(name) was not found (tried \(paths.joined(separator: ", "))): "
          + "run scripts/setup, or apt-get install \(package)"))
  }

  /// The address of `symbol` as a function of type `F`, or `nil` when the library lacks it.
  func function<F>(_ symbol: String, as _: F.Type) -> F? {
    dlsym(handle, symbol).map { unsafeBitCast($0, to: F.self) }
  }
}
