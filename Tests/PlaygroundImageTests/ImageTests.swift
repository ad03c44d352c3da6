import PlaygroundImage
import Testing
import TestSupport

@Suite(.onOneBackend) struct ImageTests {
  /// A generator gone NaN draws black instead of trapping on the conversion to bytes.
  @Test func nonFiniteIntensitiesDrawClamped() {
    let image = Image(width: 4, height: 1, intensities: [.nan, .infinity, -.infinity, 0.5])
    #expect(Array(image.pixels) == [0, 255, 0, 128])
  }
}
