import Foundation
import PlaygroundImage
import PlaygroundRuns

/// The part of `sweep.png` that shows what each setting made, for kinds whose presentation names
/// a picture (``PlaygroundRuns/RunPresentation/picture``: a generator's last sample sheet): one
/// panel per setting, side by side — its label, the picture of its first finished seed, and the
/// mean over its seeds of each headline figure — so that a GAN and a flow model trained for the
/// same time are seen and scored in one image.
struct SweepGallery {
  /// The finished runs, each with its setting's label, in run order.
  let records: [(label: String, record: RunRecord)]

  /// The gallery, or `nil` when no setting has a picture.
  func render() -> Image? {
    let panels = SweepSummary.grouped(records) { $0 }.compactMap(panel)
    guard !panels.isEmpty else { return nil }
    let margin = 16
    var gallery = Image(
      width: panels.map(\.width).reduce(margin, { $0 + $1 + margin }),
      height: panels.map(\.height).max()! + 2 * margin, fill: [255, 255, 255])
    var x = margin
    for panel in panels {
      gallery.draw(panel, atX: x, y: margin)
      x += panel.width + margin
    }
    return gallery
  }

  /// One setting's label, picture and figures; `nil` when none of its runs has the picture.
  private func panel(_ group: (label: String, values: [RunRecord])) -> Image? {
    guard
      let (record, picture) = group.values.lazy.compactMap({ record -> (RunRecord, Image)? in
        guard let name = record.presentation?.picture,
          let data = try? Data(contentsOf: record.url.appendingPathComponent(name)),
          let image = try? PNG.decode(data)
        else { return nil }
        return (record, image)
      }).first
    else { return nil }
    let seeds = group.values.count
    let title = "\(group.label) (\(seeds) seed\(seeds == 1 ? "" : "s"))"
    let lines = Self.figures(record.presentation?.headline ?? [], of: group.values)
    let (lineHeight, scale) = (20, 2)
    let textWidth =
      (lines.map { BitmapFont.width(of: $0, scale: scale) } + [
        BitmapFont.width(of: title, scale: 2)
      ]).max()!
    let top = 24
    var panel = Image(
      width: max(picture.width, textWidth),
      height: top + picture.height + 10 + lines.count * lineHeight, fill: [255, 255, 255])
    panel.drawText(title.uppercased(), atX: 0, y: 4, color: [0, 0, 0], scale: 2)
    panel.draw(picture, atX: 0, y: top)
    for (k, line) in lines.enumerated() {
      panel.drawText(
        line, atX: 0, y: top + picture.height + 10 + k * lineHeight, color: [40, 40, 40],
        scale: scale)
    }
    return panel
  }

  /// `name: mean` of each numeric headline figure over the runs that have it — not timings
  /// (`…seconds`, `…per_second`), which would make the same runs draw another picture.
  static func figures(_ keys: [String], of runs: [RunRecord]) -> [String] {
    keys.filter { !$0.hasSuffix("seconds") && !$0.hasSuffix("per_second") }.compactMap { key in
      let values = runs.compactMap { run -> Double? in
        guard let number = run.summary[key] as? NSNumber, String(cString: number.objCType) != "c"
        else { return nil }
        return number.doubleValue
      }.filter(\.isFinite)
      guard !values.isEmpty else { return nil }
      let mean = values.reduce(0, +) / Double(values.count)
      return
        "\(key.replacingOccurrences(of: "_", with: " ")): \(RunRecord.format(NSNumber(value: mean)))"
    }
  }
}
