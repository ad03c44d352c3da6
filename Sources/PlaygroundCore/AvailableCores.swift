#if canImport(Glibc)
  import Glibc
#endif

/// How many cores this process can put to work now: the cores its affinity mask allows, within
/// its control group's CPU quota, less those that other runnable work keeps busy.
///
/// A parallel region waits for its slowest thread: a thread on a core that another program keeps
/// busy gets half of it, and a step split in two then takes as long as on one thread plus the
/// wake-ups (measured: DQN on cart-pole 13 s on two threads beside `yes > /dev/null`, 1.9 s on
/// one). So when no thread count is asked for, a run uses ``count``.
public struct AvailableCores: Hashable, Sendable {
  /// Online cores (`sysconf(_SC_NPROCESSORS_ONLN)`).
  public var online: Int
  /// Cores the affinity mask allows (what `taskset` sets).
  public var allowed: Int
  /// The control group's CPU quota in whole cores (`cpu.max` of cgroup v2, rounded up), `nil`
  /// without one.
  public var quota: Int?
  /// Runnable tasks of other programs that stayed runnable through every sample (from
  /// `procs_running` in `/proc/stat`): each keeps a core busy.
  public var busy: Int

  public init(online: Int, allowed: Int, quota: Int?, busy: Int) {
    self.online = online
    self.allowed = allowed
    self.quota = quota
    self.busy = busy
  }

  /// The cores left: the smallest of ``online``, ``allowed`` and ``quota``, less ``busy``, at
  /// least 1.
  public var count: Int {
    max(1, min(online, allowed, quota ?? .max) - busy)
  }

  /// Why ``count`` is below the online cores, as a phrase (`"1 of 2 cores busy with other
  /// programs"`); `nil` when every core is free.
  public var limitation: String? {
    if allowed < online { return "\(allowed) of \(online) cores allowed by the affinity mask" }
    if let quota, quota < online { return "a CPU quota of \(quota) cores" }
    if busy > 0 { return "\(min(busy, online - 1)) of \(online) cores busy with other programs" }
    return nil
  }

  /// Reads them now; sampling the run queue takes about 20 ms.
  public static func measure(samples: Int = 5, interval microseconds: UInt32 = 4_000) -> Self {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    var busy = Int.max
    for sample in 0..<max(1, samples) {
      if sample > 0 { usleep(microseconds) }
      // This thread is one of the running tasks.
      busy = min(busy, max(0, (runningTasks() ?? 1) - 1))
    }
    return AvailableCores(
      online: online, allowed: allowedCores() ?? online, quota: quotaCores(), busy: busy)
  }

  /// The affinity mask's cores (`Cpus_allowed` of `/proc/self/status`, what `taskset` sets).
  private static func allowedCores() -> Int? {
    smallFile("/proc/self/status").flatMap(allowedCores(status:))
  }

  /// The set bits of the `Cpus_allowed:` hexadecimal mask (groups of 8 digits between commas).
  static func allowedCores(status text: String) -> Int? {
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
    else { return nil }
    var count = 0
    for digit in line.dropFirst("Cpus_allowed:".count) where digit != "," && digit != " " {
      guard let value = digit.hexDigitValue else { continue }
      count += value.nonzeroBitCount
    }
    return count > 0 ? count : nil
  }

  /// cgroup v2's `cpu.max` (`"max 100000"` or `"QUOTA PERIOD"`) of this process's group.
  private static func quotaCores() -> Int? {
    guard let groups = smallFile("/proc/self/cgroup"),
      let line = groups.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
    else { return nil }
    let path = "/sys/fs/cgroup" + line.dropFirst(3) + "/cpu.max"
    guard let text = smallFile(path) else { return nil }
    return Self.quota(cpuMax: text)
  }

  /// Whole cores of a `cpu.max` text, rounded up; `nil` for `max` or anything unreadable.
  static func quota(cpuMax text: String) -> Int? {
    let fields = text.split(whereSeparator: \.isWhitespace)
    guard fields.count == 2, let quota = Int(fields[0]), let period = Int(fields[1]), quota > 0,
      period > 0
    else { return nil }
    return max(1, (quota + period - 1) / period)
  }

  /// `procs_running` of `/proc/stat`: tasks running or ready to run on any core.
  private static func runningTasks() -> Int? {
    guard let stat = smallFile("/proc/stat") else { return nil }
    return Self.runningTasks(procStat: stat)
  }

  static func runningTasks(procStat text: String) -> Int? {
    for line in text.split(separator: "\n") where line.hasPrefix("procs_running ") {
      return Int(line.dropFirst("procs_running ".count).trimmingPrefix(while: \.isWhitespace))
    }
    return nil
  }

  /// The first 64 KiB of a kernel file (they are never longer, and a read never blocks).
  private static func smallFile(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 1 << 16)
    var length = 0
    while length < bytes.count {
      let read = bytes.withUnsafeMutableBytes {
        Glibc.read(descriptor, $0.baseAddress! + length, $0.count - length)
      }
      guard read > 0 else { break }
      length += read
    }
    return String(decoding: bytes[..<length], as: UTF8.self)
  }
}
