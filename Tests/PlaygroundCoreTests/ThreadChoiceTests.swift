import Foundation
import TestSupport
import Testing

@testable import PlaygroundCore

/// How many threads a run and each of its operations get: the cores the process can have, and
/// one thread per grain of an operation's work.
@Suite(.onOneBackend) struct ThreadChoiceTests {
  @Test func busyCoresQuotaAndMaskEachLowerTheAutomaticCount() {
    let quiet = AvailableCores(online: 4, allowed: 4, quota: nil, busy: 0)
    #expect(quiet.count == 4 && quiet.limitation == nil)
    let busy = AvailableCores(online: 4, allowed: 4, quota: nil, busy: 3)
    #expect(busy.count == 1)
    #expect(busy.limitation == "3 of 4 cores busy with other programs")
    let swamped = AvailableCores(online: 2, allowed: 2, quota: nil, busy: 9)
    #expect(swamped.count == 1 && swamped.limitation == "1 of 2 cores busy with other programs")
    let masked = AvailableCores(online: 8, allowed: 3, quota: nil, busy: 1)
    #expect(masked.count == 2)
    #expect(masked.limitation == "3 of 8 cores allowed by the affinity mask")
    let quota = AvailableCores(online: 8, allowed: 8, quota: 2, busy: 0)
    #expect(quota.count == 2 && quota.limitation == "a CPU quota of 2 cores")
  }

  @Test func kernelFilesAreReadAsTheKernelWritesThem() {
    #expect(AvailableCores.quota(cpuMax: "max 100000\n") == nil)
    #expect(AvailableCores.quota(cpuMax: "150000 100000\n") == 2)
    #expect(AvailableCores.quota(cpuMax: "50000 100000") == 1)
    #expect(AvailableCores.quota(cpuMax: "garbage") == nil)
    let stat = "cpu  1 2 3\nctxt 99\nprocs_running 3\nprocs_blocked 0\n"
    #expect(AvailableCores.runningTasks(procStat: stat) == 3)
    #expect(AvailableCores.runningTasks(procStat: "cpu 1 2 3\n") == nil)
    let status = "Name:\tx\nCpus_allowed:\tff,0000000f\nCpus_allowed_list:\t0-3\n"
    #expect(AvailableCores.allowedCores(status: status) == 12)
    #expect(AvailableCores.allowedCores(status: "Name:\tx\n") == nil)
  }

  @Test func thisMachineIsMeasuredWithinItsCores() {
    let cores = AvailableCores.measure(samples: 2, interval: 1_000)
    #expect(cores.count >= 1 && cores.count <= cores.online)
    #expect(cores.allowed >= 1 && cores.allowed <= cores.online)
  }

  @Test func smallOperationsStayOnTheCallingThread() {
    let settings = ComputeSettings(backend: .openblas, threads: 4)
    #expect(settings.threads(forProduct: 32 * 128 * 10) == 1)
    let grain = OperationGrain.products(on: .openblas)
    #expect(settings.threads(forProduct: grain * 2) == 2)
    #expect(settings.threads(forProduct: grain * 100) == 4)
    #expect(OperationGrain.products(on: .onednn) < grain)
    #expect(settings.threads(forWork: 0, grain: OperationGrain.elements) == 1)
    let single = ComputeSettings(backend: .openblas, threads: 1)
    #expect(single.threads(forProduct: .max / 2) == 1)
  }

  /// A convolution split for two threads and one made for one agree to float rounding (each
  /// count has its own primitive: oneDNN fixes the split when it makes one).
  @Test func oneThreadOrTwoGiveTheSameConvolution() throws {
    guard case .success = OneDNN.loaded else { return }
    let x = Tensor(shape: [64, 16, 14, 14], scalars: (0..<(64 * 16 * 196)).map { Float($0 % 7) })
    let w = Tensor(shape: [32, 16, 4, 4], scalars: (0..<(32 * 16 * 16)).map { Float($0 % 5) / 9 })
    let two = try Compute.with(ComputeSettings(backend: .onednn, threads: 2)) {
      x.conv2d(weight: w, stride: 2, padding: 1)
    }
    let one = try Compute.with(ComputeSettings(backend: .onednn, threads: 1)) {
      x.conv2d(weight: w, stride: 2, padding: 1)
    }
    #expect(zip(two.scalars, one.scalars).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($0)) })
  }
}
