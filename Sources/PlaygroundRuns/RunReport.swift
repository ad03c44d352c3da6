import Foundation
import PlaygroundFiles

/// `report.html`: one self-contained page per run — status, headline figures, learning curves
/// (inline SVG), every picture (embedded as data URIs) and the config — readable offline with no
/// external assets. An inline script records on the page whether every image loaded and whether
/// any script error occurred (`<body data-images-loaded data-errors>`), for headless checks.
public enum RunReport {
  public static let fileName = "report.html"

  /// Writes the report of the run in `folder` into it.
  public static func write(into folder: URL) throws {
    let record = try RunRecord(folder)
    try Data(html(record).utf8).write(
      to: folder.appendingPathComponent(fileName), options: .atomic)
  }

  /// The page for `record`.
  public static func html(_ record: RunRecord) -> String {
    let e = SVGChart.escape
    var body = """
      <h1>\(e(record.scenario))</h1>
      <p>run <code>\(e(record.runID))</code> · seed \(e(record.seed)) · <span class="status \(record.status.rawValue)">\(record.status.rawValue)</span></p>

      """
    body += headline(record) + sections(record) + charts(record) + pictures(record)
    body += "<h2>Config</h2>\n<pre>\(e(record.config))</pre>\n"
    return page(title: "\(record.scenario) · \(record.runID)", body: body)
  }

  /// A self-contained page around `body` (HTML): the reports' style, and the scripts that record
  /// whether every image loaded and whether any script error occurred, for headless checks
  /// (`scripts/check-report`).
  public static func page(title: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <title>\(SVGChart.escape(title))</title>
    <style>
    body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#222}
    h1{font-size:22px;margin-bottom:4px} h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
    .status{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-size:12px}
    .finished,.complete{background:#2a8a3a}.interrupted{background:#c98a00}.failed{background:#b33}.diverged{background:#7a3fb3}.pruned{background:#777}.running{background:#2a6db3}
    table{border-collapse:collapse} td,th{padding:3px 12px 3px 0;text-align:left}
    td.num{font-variant-numeric:tabular-nums}
    .charts,.pictures{display:flex;flex-wrap:wrap;gap:16px}
    figure{margin:0} figcaption{font-size:12px;color:#555}
    img{image-rendering:pixelated;max-width:100%;border:1px solid #ddd}
    pre{background:#f6f6f6;padding:10px;overflow:auto}
    </style></head>
    <body data-images-loaded="pending" data-errors="0">
    <script>
    window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||e));document.body.dataset.errors=window.__errors.length;},true);
    </script>
    \(body)<script>
    (function(){var images=Array.prototype.slice.call(document.images);var done=0,broken=0;
    function settle(){done++;if(done===images.length){document.body.dataset.imagesLoaded=(images.length-broken)+"/"+images.length;}}
    if(images.length===0){document.body.dataset.imagesLoaded="0/0";}
    images.forEach(function(img){if(img.complete){if(!img.naturalWidth){broken++;}settle();}else{img.addEventListener('load',settle);img.addEventListener('error',function(){broken++;settle();});}});})();
    </script>
    </body></html>

    """
  }

  static func headline(_ record: RunRecord) -> String {
    let e = SVGChart.escape
    var page = "<h2>Headline figures</h2>\n<table>\n"
    let headline = record.headline
    if headline.isEmpty { page += "<tr><td>no summary: the run did not finish</td></tr>\n" }
    for (key, value) in headline {
      page += "<tr><th>\(e(key))</th><td class=\"num\">\(e(value))</td></tr>\n"
    }
    return page + "</table>\n"
  }

  /// Each of the kind's summary sections the run has (``RunPresentation/sections``), as a table.
  static func sections(_ record: RunRecord) -> String {
    let e = SVGChart.escape
    var page = ""
    for key in record.presentation?.sections ?? [] {
      guard let section = record.summary[key] as? [String: Any] else { continue }
      page += "<h2>\(e(key.prefix(1).uppercased() + key.dropFirst()))</h2>\n<table>\n"
      for name in section.keys.sorted() {
        let value = section[name].flatMap { $0 is NSNull ? nil : RunRecord.format($0) } ?? "—"
        page += "<tr><th>\(e(name))</th><td class=\"num\">\(e(value))</td></tr>\n"
      }
      page += "</table>\n"
    }
    return page
  }

  /// The learning curve, then every other numeric column of the run's tables.
  static func charts(_ record: RunRecord) -> String {
    var page = "<h2>Learning curves</h2>\n<div class=\"charts\">\n"
    if let curve = record.curve {
      page +=
        SVGChart(
          title: "\(curve.yName) (\(curve.file))", xLabel: curve.xName, yLabel: curve.yName,
          series: [(curve.yName, curve.x, curve.y)]
        ).render() + "\n"
    }
    for file in record.tables.keys.sorted() {
      guard let table = record.tables[file], let xName = table.columns.first,
        let x = table.numbers(xName)
      else { continue }
      let shown: Set<String> = record.curve?.file == file ? [record.curve!.yName] : []
      for column in table.numericColumns(excluding: shown.union([xName])) {
        let y = table.numbers(column) ?? []
        let smoothed =
          x.count > 200 ? LearningCurve.movingAverage(y, window: max(1, x.count / 50)) : y
        page +=
          SVGChart(
            title: "\(column) (\(file))", xLabel: xName, yLabel: column,
            series: [(column, x, smoothed)]
          ).render() + "\n"
      }
    }
    return page + "</div>\n"
  }

  /// Every picture, embedded.
  static func pictures(_ record: RunRecord) -> String {
    let e = SVGChart.escape
    var page = "<h2>Pictures</h2>\n<div class=\"pictures\">\n"
    for picture in record.pictures {
      guard
        let data = try? UserFile.read(
          record.url.appendingPathComponent(picture), what: "picture",
          maximumBytes: RunFolder.maximumRecordBytes)
      else {
        continue
      }
      page +=
        "<figure><img alt=\"\(e(picture))\" src=\"data:image/png;base64,\(data.base64EncodedString())\"><figcaption>\(e(picture))</figcaption></figure>\n"
    }
    return page + "</div>\n"
  }
}
